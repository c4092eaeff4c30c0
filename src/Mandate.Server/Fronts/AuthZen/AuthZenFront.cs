using System.Text.Json;
using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Mandate.Server.Flow.Identify;
using Mandate.Server.Fronts.Http;
using Mandate.Server.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.AuthZen;

/// <summary>
/// The AuthZEN front (OpenID AuthZEN Authorization API 1.0): <c>/access/v1/evaluation</c>, <c>/evaluations</c>, the
/// three searches and <c>/.well-known/authzen-configuration</c>, answered before the route table when
/// <c>decisionApis.authzen</c> is configured. It only translates: the caller (a PEP) is resolved by the flow (a JWT,
/// a certificate, or a configured client's API key), each evaluation becomes a <see cref="FlowCall"/> about its
/// subject, and the flow decides and records it. <c>X-Request-ID</c> is echoed on every answer.
/// </summary>
public sealed class AuthZenFront
{
    private const int MaxBodyBytes = 1024 * 1024;
    private readonly CallerResolver _resolver;
    private readonly DecisionFlow _flow;
    private readonly SnapshotHolder _snapshots;
    private readonly ILogger _logger;
    private readonly AuthZenEvaluations _evaluations;
    private readonly AuthZenSearch _search;

    /// <summary>Creates the front.</summary>
    public AuthZenFront(CallerResolver resolver, DecisionFlow flow, SnapshotHolder snapshots, ILogger logger)
    {
        _resolver = resolver;
        _flow = flow;
        _snapshots = snapshots;
        _logger = logger;
        _evaluations = new AuthZenEvaluations(flow);
        _search = new AuthZenSearch(flow);
    }

    /// <summary>Answers the request when its path is an AuthZEN endpoint and the API is configured; false otherwise.</summary>
    public Task<bool> TryHandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is null || !(path.StartsWith("/access/v1/", StringComparison.Ordinal) || path == AuthZenPaths.Metadata))
        {
            return Task.FromResult(false);
        }

        var snapshot = _snapshots.Current;
        return snapshot.Config.DecisionApis.AuthZen is null ? Task.FromResult(false) : HandleAsync(context, path, snapshot);
    }

    private async Task<bool> HandleAsync(HttpContext context, string path, GatewaySnapshot snapshot)
    {
        if (context.Request.Headers["X-Request-ID"] is { Count: 1 } requestId)
        {
            context.Response.Headers["X-Request-ID"] = requestId;
        }

        if (path == AuthZenPaths.Metadata)
        {
            await AuthZenMetadata.WriteAsync(context, snapshot.Config.DecisionApis.AuthZen!);
            return true;
        }

        var request = HttpFlowRequests.Open(context, Front.AuthZen, snapshot, path, _flow.Journal.Time.GetUtcNow());
        try
        {
            await DispatchAsync(context, path, request);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            HttpLog.RequestFailed(_logger, e, request.DecisionId);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await RefuseAsync(context, request, ErrorCatalogue.GatewayError, "the decision API could not complete this request");
            }
        }

        return true;
    }

    private async Task DispatchAsync(HttpContext context, string path, FlowRequest request)
    {
        var endpoint = path switch
        {
            AuthZenPaths.Evaluation or AuthZenPaths.Evaluations or AuthZenPaths.SearchSubject or AuthZenPaths.SearchResource or AuthZenPaths.SearchAction => path,
            _ => null,
        };
        if (endpoint is null)
        {
            await RefuseAsync(context, request, ErrorCatalogue.RouteNotFound, "no AuthZEN endpoint at this path");
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await RefuseAsync(context, request, ErrorCatalogue.AuthZenMethodNotAllowed, "AuthZEN endpoints take POST");
            return;
        }

        // Who asks comes first: an unauthenticated caller learns nothing about its request, not even that it is malformed.
        var authzen = request.Snapshot.Config.DecisionApis.AuthZen;
        var resolution = await _resolver.ResolveClientAsync(PresentedCredentials.From(context.Request), authzen, context.RequestAborted);
        if (resolution.Caller is not { } caller)
        {
            await RefuseAsync(context, request, resolution.Code!, resolution.Message!);
            return;
        }

        request.Caller = caller;
        var body = await JsonRequestBody.ReadAsync(context.Request, MaxBodyBytes, context.RequestAborted);
        if (body.ErrorCode is { } bodyCode)
        {
            var code = bodyCode == ErrorCatalogue.RequestTooLarge ? ErrorCatalogue.AuthZenTooLarge
                : bodyCode == ErrorCatalogue.RequestUnsupportedMediaType ? ErrorCatalogue.AuthZenContentType
                : ErrorCatalogue.AuthZenBadRequest;
            await RefuseAsync(context, request, code, body.ErrorMessage!);
            return;
        }

        var answer = endpoint switch
        {
            AuthZenPaths.Evaluation => _evaluations.OneAsync(context, request, body.Root),
            AuthZenPaths.Evaluations => _evaluations.ManyAsync(context, request, body.Root),
            AuthZenPaths.SearchSubject => _search.AnswerAsync(context, request, body.Root, Core.Decisions.SearchTarget.Subject),
            AuthZenPaths.SearchResource => _search.AnswerAsync(context, request, body.Root, Core.Decisions.SearchTarget.Resource),
            _ => _search.AnswerAsync(context, request, body.Root, Core.Decisions.SearchTarget.Action),
        };
        if (await answer is { } refusal)
        {
            await RefuseAsync(context, request, refusal.Code, refusal.Message, refusal.Subject);
        }
    }

    private async Task RefuseAsync(HttpContext context, FlowRequest request, ErrorCode code, string message, CallSubject subject = default)
    {
        var verdict = await _flow.RefuseAsync(request, subject, code, message);
        await HttpVerdicts.WriteAsync(context, request.DecisionId, verdict);
    }
}

/// <summary>A request an endpoint refuses as a whole (answered as problem+json with the code's status, and recorded).</summary>
/// <param name="Code">The stable code.</param>
/// <param name="Message">The message for the caller.</param>
/// <param name="Subject">What the refused call was about, as far as it was read.</param>
public sealed record AuthZenRefusal(ErrorCode Code, string Message, CallSubject Subject = default);
