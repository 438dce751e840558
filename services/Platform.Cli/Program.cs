using System.CommandLine;
using Platform.ServiceDefaults;

var role = new Option<string>("--role") { Description = "The caller's role", Required = true };
role.AcceptOnlyFromAmong([.. PlatformRoles.All]);
var subject = new Option<string>("--subject") { Description = "The id of the party the caller acts as (buyer id, merchant id, provider id, staff id)", Required = true };
var hours = new Option<double>("--hours") { Description = "Lifetime in hours", DefaultValueFactory = _ => 12 };
var token = new Command("token", "Issues a development bearer token, readable by every service sharing PLATFORM_KEYS_DIR") { role, subject, hours };
token.SetAction(parse =>
{
    var settings = PlatformSettings.FromEnvironment();
    using var issuer = PlatformAuthentication.CreateIssuer(settings.KeysDirectory);
    Console.WriteLine(issuer.Issue(parse.GetValue(role)!, parse.GetValue(subject)!, TimeSpan.FromHours(parse.GetValue(hours))));
    return 0;
});

var root = new RootCommand("The after-sales warranty platform's operator commands") { token };
return root.Parse(args).Invoke();
