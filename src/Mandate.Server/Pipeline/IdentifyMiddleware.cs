using Mandate.Server.Identify;
using Mandate.Server.Tokens;
using Microsoft.Extensions.DependencyInjection;
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
    private readonly TaskTokenGate? _taskTokens;

    /// <summary>Creates the step; task tokens are accepted when a <see cref="TaskTokenGate"/> is registered.</summary>
    public IdentifyMiddleware(RequestDelegate next, ICallerAuthenticator authenticator, Refusal refusal, PresentedCertificateChains presentedChains, IServiceProvider services)
    {
        _next = next;
        _authenticator = authenticator;
        _refusal = refusal;
        _presentedChains = presentedChains;
        _taskTokens = services.GetService<TaskTokenGate>();
    }

    /// <summary>Runs the step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var exchange = context.Features.GetRequiredFeature<GatewayExchange>();

        // A token of Mandate's own issuer is a task token: verified by the token service, never by the OIDC path.
        if (_taskTokens?.TryAccept(context) is { } task)
        {
            if (!task.Ok)
            {
                return _refusal.RefuseAsync(context, exchange, task.Status, task.Code!, task.Status == 400 ? "bad request" : "unauthenticated", task.Message!);
            }

            exchange.Caller = task.Caller;
            exchange.TaskToken = task.Principal;
            return _next(context);
        }

        var header = BearerHeader.Read(context.Request.Headers.Authorization);
        if (header.ErrorCode is not null)
        {
            var status = header.ErrorCode == "identity.duplicate_authorization" ? StatusCodes.Status400BadRequest : StatusCodes.Status401Unauthorized;
            return _refusal.RefuseAsync(context, exchange, status, header.ErrorCode, status == 400 ? "bad request" : "unauthenticated", header.ErrorMessage!);
        }

        if (header.HasToken)
        {
            // A token verified before is answered at once from the cache: then this step has no state machine of its own.
            var pending = _authenticator.AuthenticateBearerAsync(header.Token, context.RequestAborted);
            return pending.IsCompletedSuccessfully ? Continue(context, exchange, pending.Result) : ContinueAsync(context, exchange, pending);
        }

        if (context.Connection.ClientCertificate is { } certificate)
        {
            return Continue(context, exchange, _authenticator.AuthenticateCertificate(certificate, _presentedChains.For(certificate)));
        }

        return _refusal.RefuseAsync(context, exchange, StatusCodes.Status401Unauthorized, "identity.missing", "unauthenticated", "a bearer token or client certificate is required");
    }

    private Task Continue(HttpContext context, GatewayExchange exchange, IdentifyResult result)
    {
        if (result.Caller is null)
        {
            return _refusal.RefuseAsync(context, exchange, StatusCodes.Status401Unauthorized, result.ErrorCode ?? "identity.invalid", "unauthenticated", result.ErrorMessage ?? "the credential is not valid");
        }

        exchange.Caller = result.Caller;
        return _next(context);
    }

    private async Task ContinueAsync(HttpContext context, GatewayExchange exchange, ValueTask<IdentifyResult> pending) =>
        await Continue(context, exchange, await pending);
}
