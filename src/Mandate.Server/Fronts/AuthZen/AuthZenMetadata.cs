using Mandate.Server.Configuration;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.AuthZen;

/// <summary>
/// <c>GET /.well-known/authzen-configuration</c> (§9): the PDP's identifier and the URL of every endpoint Mandate
/// serves. Public, as discovery documents are; no decision, no record.
/// </summary>
public static class AuthZenMetadata
{
    /// <summary>Writes the metadata, or 405 for another method.</summary>
    public static Task WriteAsync(HttpContext context, AuthZenConfig config)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET";
            return Task.CompletedTask;
        }

        var pdp = config.BaseUrl?.ToString().TrimEnd('/') ?? $"{context.Request.Scheme}://{context.Request.Host.Value}";
        context.Response.Headers.CacheControl = "public, max-age=300";
        return AuthZenAnswers.JsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("policy_decision_point", pdp);
            w.WriteString("access_evaluation_endpoint", pdp + AuthZenPaths.Evaluation);
            w.WriteString("access_evaluations_endpoint", pdp + AuthZenPaths.Evaluations);
            w.WriteString("search_subject_endpoint", pdp + AuthZenPaths.SearchSubject);
            w.WriteString("search_resource_endpoint", pdp + AuthZenPaths.SearchResource);
            w.WriteString("search_action_endpoint", pdp + AuthZenPaths.SearchAction);
            w.WriteEndObject();
        });
    }
}
