using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Platform.Console.Pages;

public sealed class SignInModel(ConsoleSessions sessions) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? ClientId { get; private set; }

    public string? Refusal { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPost(string clientId, string secret, CancellationToken ct)
    {
        ClientId = clientId;
        var (session, refusal) = await sessions.SignIn(clientId ?? "", secret ?? "", ct);
        if (session is null)
        {
            Refusal = refusal;
            return Page();
        }
        var identity = new ClaimsIdentity(
            [new Claim(ConsoleSessions.SessionClaim, session.Id), new Claim(ClaimTypes.Name, $"{session.Role}:{session.Party}")],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }

    public async Task<IActionResult> OnPostSignOut()
    {
        sessions.SignOut(User.FindFirst(ConsoleSessions.SessionClaim)?.Value);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/signin");
    }
}
