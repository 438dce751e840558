using Platform.Identity;

var app = IssuerHost.Create(args);
await IssuerHost.Prepare(app);
await app.RunAsync();
