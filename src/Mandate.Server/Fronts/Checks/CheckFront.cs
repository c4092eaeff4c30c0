using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Configuration;
using Mandate.Server.Flow;
using Mandate.Server.Flow.Identify;
using Mandate.Server.Forwarding;
using Mandate.Server.Fronts.Http;
using Mandate.Server.Paths;
using Mandate.Server.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.Checks;

/// <summary>
/// The check fronts: a proxy that enforces for itself asks Mandate about a request it holds, with the request's method,
/// target and headers — Envoy's ext_authz HTTP service (the original target appended to <c>decisionApis.envoy.path</c>,
/// the original method, the headers Envoy passes) and nginx's <c>auth_request</c> (<c>X-Original-Method</c> and
/// <c>X-Original-URI</c> on a request to <c>decisionApis.nginx.path</c>). Only the configured <c>peers</c> may ask.
/// From there it is the proxy's path: the target made canonical, the caller resolved from the original credentials
/// (a DPoP proof names the original method and URL), the route table, the flow's decision and record. Nothing is
/// forwarded by Mandate: an allow is a 200 whose headers the proxy passes upstream (<see cref="CheckAnswers"/>).
/// </summary>
public sealed class CheckFront
{
    private readonly CallerResolver _resolver;
    private readonly DecisionFlow _flow;
    private readonly SnapshotHolder _snapshots;
    private readonly ILogger _logger;

    /// <summary>Creates the fronts.</summary>
    public CheckFront(CallerResolver resolver, DecisionFlow flow, SnapshotHolder snapshots, ILogger logger)
    {
        _resolver = resolver;
        _flow = flow;
        _snapshots = snapshots;
        _logger = logger;
    }

    /// <summary>Answers the request when it is a check of a configured front; false otherwise.</summary>
    public Task<bool> TryHandleAsync(HttpContext context)
    {
        var apis = _snapshots.Current.Config.DecisionApis;
        if (apis.Envoy is null && apis.Nginx is null)
        {
            return Task.FromResult(false);
        }

        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (apis.Envoy is { } envoy && raw.StartsWith(envoy.Path, StringComparison.Ordinal) &&
            (raw.Length == envoy.Path.Length || raw[envoy.Path.Length] is '/' or '?'))
        {
            var target = raw[envoy.Path.Length..];
            return HandleAsync(context, Front.Envoy, envoy, context.Request.Method, target.Length == 0 || target[0] == '?' ? "/" + target : target);
        }

        if (apis.Nginx is { } nginx && (raw == nginx.Path || raw.StartsWith(nginx.Path + "?", StringComparison.Ordinal)))
        {
            var method = context.Request.Headers["X-Original-Method"];
            var uri = context.Request.Headers["X-Original-URI"];
            return HandleAsync(context, Front.Nginx, nginx, method.Count == 1 ? method[0] : null, uri.Count == 1 ? uri[0] : null);
        }

        return Task.FromResult(false);
    }

    private async Task<bool> HandleAsync(HttpContext context, Front front, CheckFrontConfig config, string? method, string? target)
    {
        var snapshot = _snapshots.Current;
        var facts = new RequestFacts(method ?? context.Request.Method, target ?? "", PeerOrClient(context, config).ToString(), OriginalHost(context));
        var request = new FlowRequest(front, DecisionIds.New(), snapshot, facts, _flow.Journal.Time.GetUtcNow())
        {
            Telemetry = context.Features.Get<Telemetry.RequestTelemetry>(),
        };
        context.Response.Headers["X-Mandate-Decision-Id"] = request.DecisionId;
        try
        {
            await CheckAsync(context, request, config, method, target);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            HttpLog.RequestFailed(_logger, e, request.DecisionId);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await RefuseAsync(context, request, null, ErrorCatalogue.GatewayError, "the check could not be completed; deny");
            }
        }

        return true;
    }

    private async Task CheckAsync(HttpContext context, FlowRequest request, CheckFrontConfig config, string? method, string? target)
    {
        if (!config.IsPeer(context.Connection.RemoteIpAddress ?? System.Net.IPAddress.None))
        {
            await RefuseAsync(context, request, null, ErrorCatalogue.CheckUntrustedPeer, "this address may not ask for checks");
            return;
        }

        if (string.IsNullOrEmpty(method) || string.IsNullOrEmpty(target) || target[0] != '/' || method.Any(c => !char.IsAsciiLetterUpper(c)))
        {
            await RefuseAsync(context, request, null, ErrorCatalogue.CheckBadOriginal, "the check does not carry the original method and target (X-Original-Method, X-Original-URI)");
            return;
        }

        var (path, rejection) = CanonicalPath.Parse(target);
        if (rejection is not null)
        {
            await RefuseAsync(context, request, null, rejection.Code, rejection.Message);
            return;
        }

        request.Facts = request.Facts with { Path = path!.Value };
        if (!IsHostAndPort(request.Facts.Host) || !Uri.TryCreate($"{OriginalScheme(context)}://{request.Facts.Host}{path.Value}", UriKind.Absolute, out var url))
        {
            await RefuseAsync(context, request, null, ErrorCatalogue.CheckBadOriginal, "the check's original host (X-Forwarded-Host or Host) is not a host name");
            return;
        }

        var resolution = await _resolver.ResolveAsync(PresentedCredentials.ForOriginal(context.Request, method, url), context.RequestAborted);
        if (resolution.Caller is not { } caller)
        {
            await RefuseAsync(context, request, null, resolution.Code!, resolution.Message!);
            return;
        }

        request.Caller = caller;
        var match = request.Snapshot.Routes.Resolve(method, path, out var pathKnown);
        if (match is null)
        {
            await RefuseAsync(context, request, null, pathKnown ? ErrorCatalogue.RouteMethodNotAllowed : ErrorCatalogue.RouteNotFound,
                pathKnown ? $"no route for {method} on this path" : "no route matches this path");
            return;
        }

        // A route that decides on its JSON body gets no `context.args` here (the proxy does not send it): a policy that
        // reads them errors, and an erroring permit never allows. For the same reason an approval binds only a call
        // that has no body by its method (GET, HEAD) and declares none.
        var call = RouteCalls.For(match, context.Request,
            !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) || RouteCalls.DeclaresBody(context.Request));
        if (RouteCalls.PathRefusal(match, path) is { } refusal)
        {
            await RefuseAsync(context, request, call, refusal.Code, refusal.Message);
            return;
        }

        var verdict = await _flow.DecideAsync(request, call);
        await CheckAnswers.WriteAsync(context, request, verdict);
    }

    private async Task RefuseAsync(HttpContext context, FlowRequest request, FlowCall? call, ErrorCode code, string message)
    {
        var verdict = await _flow.RefuseAsync(request, call?.Subject ?? CallSubject.None, code, message);
        await CheckAnswers.WriteAsync(context, request, verdict);
    }

    // The proxy is trusted to say who its client is (X-Forwarded-For), as trustedProxies are for the HTTP front.
    private static System.Net.IPAddress PeerOrClient(HttpContext context, CheckFrontConfig config) =>
        ForwardingHeaders.ClientAddress(context, config.Peers);

    private static string OriginalHost(HttpContext context) =>
        context.Request.Headers["X-Forwarded-Host"] is { Count: 1 } forwarded && !string.IsNullOrEmpty(forwarded[0])
            ? forwarded[0]!
            : context.Request.Host.Value ?? "";

    // A name, an IPv4 or a bracketed IPv6 address, and a port: the characters Kestrel admits in a Host header. The
    // forwarded host becomes the DPoP `htu` and the approval link, so "a@b" or "h/x" must not pass as one.
    private static bool IsHostAndPort(string host) =>
        host.Length is > 0 and <= 255 && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or '[' or ']');

    private static string OriginalScheme(HttpContext context) =>
        context.Request.Headers["X-Forwarded-Proto"] is { Count: 1 } proto && proto[0] is "https" or "http" ? proto[0]! : "http";
}
