using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Platform.EventSourcing;

namespace Platform.ServiceDefaults;

/// <summary>
/// The database out of reach or out of connections is no fault of the caller's and passes: 503 with
/// Retry-After, so a client backs off and tries again, where the default is a bare 500.
/// </summary>
internal sealed class UnavailableHandler(IProblemDetailsService problems, ILogger<UnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 1;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFaults.IsTransient(exception))
        {
            return false;
        }
        logger.LogWarning(exception, "{Method} {Path} answered 503: the database is unavailable", httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service is briefly unavailable",
                Detail = $"Its database did not answer in time. Try again in {RetryAfterSeconds} s.",
            },
        });
    }
}
