using Mandate.Server.Identify;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Pipeline;

/// <summary>
/// Identify: exactly one <c>Authorization: Bearer</c> header (400 for several, 401 otherwise), or,
/// without one, the mTLS client certificate. No credential at all → 401.
/// </summary>
public sealed class IdentifyMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ICallerAuthenticator _authenticator;
    private readonly Refusal _refusal;
    private readonly PresentedCertificateChains _presentedChains;

    /// <summary>Creates the step.</summary>
    public IdentifyMiddleware(RequestDelegate next, ICallerAuthenticator authenticator, Refusal refusal, PresentedCertificateChains presentedChains)
    {
        _next = next;
        _authenticator = authenticator;
        _refusal = refusal;
        _presentedChains = presentedChains;
    }

    /// <summary>Runs the step.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var exchange = context.Features.GetRequiredFeature<GatewayExchange>();
        var header = BearerHeader.Read(context.Request.Headers.Authorization);
        if (header.ErrorCode is not null)
        {
            var status = header.ErrorCode == "identity.duplicate_authorization" ? StatusCodes.Status400BadRequest : StatusCodes.Status401Unauthorized;
            await _refusal.RefuseAsync(context, exchange, status, header.ErrorCode, status == 400 ? "bad request" : "unauthenticated", header.ErrorMessage!);
            return;
        }

        IdentifyResult result;
        if (header.Token is not null)
        {
            result = await _authenticator.AuthenticateBearerAsync(header.Token, context.RequestAborted);
        }
        else if (context.Connection.ClientCertificate is { } certificate)
        {
            result = _authenticator.AuthenticateCertificate(certificate, _presentedChains.For(certificate));
        }
        else
        {
            await _refusal.RefuseAsync(context, exchange, StatusCodes.Status401Unauthorized, "identity.missing", "unauthenticated", "a bearer token or client certificate is required");
            return;
        }

        if (result.Caller is null)
        {
            await _refusal.RefuseAsync(context, exchange, StatusCodes.Status401Unauthorized, result.ErrorCode ?? "identity.invalid", "unauthenticated", result.ErrorMessage ?? "the credential is not valid");
            return;
        }

        exchange.Caller = result.Caller;
        await _next(context);
    }
}
