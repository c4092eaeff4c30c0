using System.Diagnostics;
using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Mandate.Server.Forwarding;
using Mandate.Server.TaskTokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// Act, after a durable allow: attaches the upstream credential (a minted downstream token, or a vaulted static key),
/// forwards with YARP's <see cref="IHttpForwarder"/> to exactly the canonical path, and posts the outcome (status,
/// bytes, upstream latency) through the flow's journal. Terminal step.
/// </summary>
public sealed class ForwardMiddleware
{
    private readonly IHttpForwarder _forwarder;
    private readonly UpstreamClient _client;
    private readonly IUpstreamSecrets _secrets;
    private readonly DecisionFlow _flow;
    private readonly TimeProvider _time;
    private readonly ILogger<ForwardMiddleware> _logger;
    private readonly TokenServices? _tokens;

    /// <summary>Creates the step; downstream tokens are minted when <see cref="TokenServices"/> is registered.</summary>
    public ForwardMiddleware(RequestDelegate next, IHttpForwarder forwarder, UpstreamClient client, IUpstreamSecrets secrets, DecisionFlow flow, TimeProvider time, ILogger<ForwardMiddleware> logger, IServiceProvider services)
    {
        _ = next;
        _tokens = services.GetService<TokenServices>();
        _forwarder = forwarder;
        _client = client;
        _secrets = secrets;
        _flow = flow;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs the step.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var state = context.Features.GetRequiredFeature<HttpRequestState>();
        var request = state.Flow;
        var route = state.Match!.Route;
        var upstream = request.Snapshot.Config.Upstreams[route.Upstream];
        KeyValuePair<string, string>? credential = null;
        if (upstream.Credential is { Mint: { } mint })
        {
            // A fresh downstream token (audience = this upstream, narrowed scopes, short expiry) replaces the agent's;
            // it exists only for task-token callers, so for any other caller nothing is forwarded.
            if (request.Caller?.Task is not { } task || _tokens is null)
            {
                await FailAsync(context, request, ErrorCatalogue.UpstreamNeedsTaskToken, "this upstream takes a minted downstream token, which needs a task token; nothing was forwarded");
                return;
            }

            var minted = _tokens.Service.MintDownstream(task, mint.Audience, mint.Scopes, mint.Lifetime, _time.GetUtcNow());
            credential = new("Authorization", "Bearer " + minted.AccessToken);
        }
        else if (upstream.Credential is { } c)
        {
            SecretLookup secret;
            try
            {
                secret = await _secrets.GetAsync(c.VaultName, context.RequestAborted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                secret = SecretLookup.Failed(e.GetType().Name);
            }

            if (secret.Value is null)
            {
                HttpLog.CredentialUnavailable(_logger, c.VaultName, request.DecisionId, secret.Error ?? "unknown");
                await FailAsync(context, request, ErrorCatalogue.UpstreamCredentialUnavailable, "the upstream credential is unavailable; nothing was forwarded");
                return;
            }

            credential = new(c.Header, c.Format.Replace("{secret}", secret.Value, StringComparison.Ordinal));
        }

        var destination = GatewayTransformer.Destination(upstream.Url, state.Path!.Value, state.Path.Query);
        using var span = UpstreamSpans.Start("mandate.forward", route.Upstream, destination, request.Facts.Method);
        var transformer = new GatewayTransformer(destination, request.Facts.Ip, credential, route.ForwardedHeaders)
        {
            // While tracing is on the upstream continues Mandate's trace (never the agent's unless it was trusted).
            Trace = span ?? request.Telemetry?.Span,
        };
        var counting = new CountingStream(context.Response.Body);
        context.Response.Body = counting;
        var config = new ForwarderRequestConfig { ActivityTimeout = upstream.Timeout };
        var started = Stopwatch.GetTimestamp();
        var error = await _forwarder.SendAsync(context, upstream.Url.GetLeftPart(UriPartial.Authority), _client.Invoker, config, transformer);
        var latency = Stopwatch.GetElapsedTime(started);
        ErrorCode? errorCode = null;
        if (error != ForwarderError.None)
        {
            errorCode = ForwarderErrors.Code(error);
            HttpLog.ForwardFailed(_logger, request.DecisionId, route.Upstream, error.ToString());
        }

        UpstreamSpans.End(span, context.Response.StatusCode, errorCode?.Code);

        // The response is complete: the outcome record joins the next group commit without holding the connection or
        // a thread (the decision record, the one that gates forwarding, was durable before SendAsync).
        _flow.Journal.PostOutcome(request, request.DecisionId, context.Response.StatusCode, counting.BytesWritten, latency, errorCode);
    }

    // Allowed, but nothing could be forwarded: the answer says why, and the outcome records it.
    private async Task FailAsync(HttpContext context, FlowRequest request, ErrorCode code, string detail)
    {
        await ProblemResponse.WriteAsync(context, code, detail, request.DecisionId);
        _flow.Journal.PostOutcome(request, request.DecisionId, code.HttpStatus, 0, TimeSpan.Zero, code);
    }
}

/// <summary>The outcome code of a YARP forwarding error.</summary>
public static class ForwarderErrors
{
    /// <summary>
    /// <c>upstream.timeout</c> for a timed-out request, <c>upstream.client_aborted</c> when the client's side broke or
    /// went away, <c>upstream.stream_error</c> when the upstream's body broke off, else <c>upstream.unavailable</c>.
    /// </summary>
    public static ErrorCode Code(ForwarderError error) => error switch
    {
        ForwarderError.RequestTimedOut => ErrorCatalogue.UpstreamTimeout,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient
            or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled
            or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient => ErrorCatalogue.UpstreamClientAborted,
        ForwarderError.ResponseBodyDestination or ForwarderError.UpgradeResponseDestination => ErrorCatalogue.UpstreamStreamError,
        _ => ErrorCatalogue.UpstreamUnavailable,
    };
}
