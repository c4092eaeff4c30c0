using System.Text.Json;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Mandate.Server.Fronts.Http;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.AuthZen;

/// <summary>
/// The Search APIs (§8): which subjects of a type may do the action on the resource, which resources of a type the
/// subject may do the action on, which actions the subject may do on the resource. The flow answers from the policies'
/// scopes and decides each candidate as an evaluation would (so a subject the caller may not ask about is never
/// listed); one record per search. Results are in a stable order and paged with <see cref="AuthZenPageToken"/>.
/// </summary>
public sealed class AuthZenSearch
{
    private readonly DecisionFlow _flow;

    /// <summary>Creates the endpoints.</summary>
    public AuthZenSearch(DecisionFlow flow) => _flow = flow;

    /// <summary>Answers a search; a refusal of the whole request is returned for the front to answer.</summary>
    public async Task<AuthZenRefusal?> AnswerAsync(HttpContext context, FlowRequest request, JsonElement root, SearchTarget target)
    {
        var tuple = AuthZenReader.Tuple(root, "the request", out var error);
        var page = tuple is null ? null : AuthZenReader.Page(root, out error);
        if (tuple is null || page is null)
        {
            return new AuthZenRefusal(ErrorCatalogue.AuthZenBadRequest, error!);
        }

        var missing = target switch
        {
            SearchTarget.Subject => tuple.Subject is null || tuple.Action is null || tuple.Resource?.Id is null,
            SearchTarget.Resource => tuple.Subject?.Id is null || tuple.Action is null || tuple.Resource is null,
            _ => tuple.Subject?.Id is null || tuple.Resource?.Id is null,
        };
        if (missing)
        {
            return new AuthZenRefusal(ErrorCatalogue.AuthZenBadRequest, target switch
            {
                SearchTarget.Subject => "a subject search needs `subject.type`, `action` and `resource` (type and id)",
                SearchTarget.Resource => "a resource search needs `subject` (type and id), `action` and `resource.type`",
                _ => "an action search needs `subject` and `resource` (type and id)",
            });
        }

        var config = request.Snapshot.Config;
        var authzen = config.DecisionApis.AuthZen!;
        var limit = page.Limit is null or 0 ? authzen.PageSize : Math.Min(page.Limit.Value, authzen.MaxPageSize);
        var fingerprint = AuthZenPageToken.Fingerprint(request.Facts.Path, root, limit);
        string? after = null;
        if (!string.IsNullOrEmpty(page.Token) && (after = AuthZenPageToken.After(page.Token, fingerprint)) is null)
        {
            return new AuthZenRefusal(ErrorCatalogue.AuthZenBadPageToken, "`page.token` was not issued for this query and limit");
        }

        // The open position gets a placeholder id (ignored if given, as §8.4 and §8.5 require) so the rest translates as an evaluation.
        var filled = target switch
        {
            SearchTarget.Subject => tuple with { Subject = tuple.Subject! with { Id = "" } },
            SearchTarget.Resource => tuple with { Resource = tuple.Resource! with { Id = "" } },
            _ => tuple with { Action = new AuthZenAction(" ", null) },
        };
        var template = AuthZenCalls.Translate(filled, config, out var code, out var message);
        if (template is null)
        {
            return new AuthZenRefusal(code!, message!);
        }

        if (target == SearchTarget.Subject)
        {
            template = template with { Principal = null };
        }

        var query = new SearchQuery(
            target,
            target switch { SearchTarget.Subject => template.Principal?.Entity.Type ?? AuthZenCalls.CedarType(tuple.Subject!.Type, config)!, SearchTarget.Resource => template.Resource.Entity.Type, _ => template.Action.Type },
            template.Principal?.Entity,
            target == SearchTarget.Action ? null : template.Action,
            target == SearchTarget.Resource ? null : template.Resource.Entity);
        var (verdict, results) = await _flow.SearchAsync(request, template, query);
        if (!verdict.IsAllowed)
        {
            await HttpVerdicts.WriteAsync(context, request.DecisionId, verdict);
            return null;
        }

        var start = 0;
        if (after is not null)
        {
            while (start < results.Count && string.CompareOrdinal(results[start].Id, after) <= 0)
            {
                start++;
            }
        }

        var count = Math.Min(limit, results.Count - start);
        var next = start + count < results.Count ? AuthZenPageToken.Create(fingerprint, results[start + count - 1].Id) : "";
        var resultType = target == SearchTarget.Subject ? tuple.Subject!.Type : tuple.Resource!.Type;
        await AuthZenAnswers.JsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("page");
            w.WriteString("next_token", next);
            w.WriteNumber("count", count);
            w.WriteNumber("total", results.Count);
            w.WriteEndObject();
            w.WriteStartArray("results");
            for (var i = start; i < start + count; i++)
            {
                w.WriteStartObject();
                if (target == SearchTarget.Action)
                {
                    w.WriteString("name", results[i].Id);
                }
                else
                {
                    w.WriteString("type", resultType);
                    w.WriteString("id", results[i].Id);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        return null;
    }
}
