using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.FileProviders;
using Platform.ServiceDefaults;

namespace Platform.Console;

/// <summary>The console's composition root, as Program.cs runs it and the browser tests start it in-process.</summary>
public static class ConsoleHost
{
    public static WebApplication Create(string[] args)
    {
        // Named after this assembly, not the process's entry one, so its Razor Pages are found when a test hosts it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(ConsoleHost).Assembly.GetName().Name });
        // The stylesheet and the script are compiled in: the console serves them wherever it runs, a test's output directory included.
        builder.Environment.WebRootFileProvider = new EmbeddedFileProvider(typeof(ConsoleHost).Assembly, "Platform.Console.wwwroot");
        var settings = ConsoleSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        // The platform's business clock for "time left", kept out of DI's TimeProvider: under a compressed clock the
        // cookie's and the sessions' lifetimes would otherwise pass thousands of times too fast.
        builder.Services.AddSingleton(new BusinessClock(AcceleratedTimeProvider.FromConfiguration(builder.Configuration)));
        builder.Services.AddMemoryCache();
        // Its cookies are worth no more than the sessions they name, which live in this process: keys that live as long.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddSingleton<ConsoleSessions>();
        builder.Services.AddSingleton<Terms>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<PlatformApi>();
        foreach (var service in settings.Services)
        {
            builder.Services.AddHttpClient(service.Name, c => c.Timeout = settings.ApiTimeout);
        }
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.LoginPath = "/signin";
            o.Cookie.Name = "platform-console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = settings.SessionIdle;
            o.SlidingExpiration = true;
            // The tokens live in this process: a cookie that outlived it (a restart) signs in again.
            o.Events.OnValidatePrincipal = context =>
            {
                var sessions = context.HttpContext.RequestServices.GetRequiredService<ConsoleSessions>();
                if (sessions.Find(context.Principal?.FindFirst(ConsoleSessions.SessionClaim)?.Value) is null)
                {
                    context.RejectPrincipal();
                    return context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                }
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorization();
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/Error");
        });

        var app = builder.Build();
        app.UseExceptionHandler("/Error");
        app.UseStatusCodePages();
        app.Use((context, next) =>
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:";
            return next(context);
        });
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        // The console holds no state a probe could check beyond answering: the services' health is on its Operations screen.
        app.MapGet("/health/live", () => Results.Ok(new { status = "Healthy" })).AllowAnonymous();
        app.MapGet("/health/ready", () => Results.Ok(new { status = "Healthy" })).AllowAnonymous();
        return app;
    }
}
