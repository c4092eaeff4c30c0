using System.Text.Json;
using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Mandate.Server.Fronts.Http;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.AuthZen;

/// <summary>
/// <c>/access/v1/evaluation</c> and <c>/access/v1/evaluations</c>. A decision (allow, or a policy's deny) is HTTP 200;
/// a refusal of the whole request (the caller may not ask about the subject, the machinery or the audit log failed) is
/// problem+json with its code's status. In a batch, each evaluation has its own decision id and record; the top-level
/// <c>subject</c>, <c>action</c>, <c>resource</c> and <c>context</c> are defaults; <c>options.evaluations_semantic</c>
/// may stop at the first deny or the first permit; all records of a batch are made durable together before it is
/// answered.
/// </summary>
public sealed class AuthZenEvaluations
{
    private readonly DecisionFlow _flow;

    /// <summary>Creates the endpoints.</summary>
    public AuthZenEvaluations(DecisionFlow flow) => _flow = flow;

    /// <summary>Answers one evaluation; a refusal of the whole request is returned for the front to answer.</summary>
    public async Task<AuthZenRefusal?> OneAsync(HttpContext context, FlowRequest request, JsonElement root)
    {
        var tuple = AuthZenReader.Tuple(root, "the request", out var error);
        if (tuple is null)
        {
            return new AuthZenRefusal(ErrorCatalogue.AuthZenBadRequest, error!);
        }

        return await DecideOneAsync(context, request, tuple);
    }

    /// <summary>Answers a batch; without <c>evaluations</c> (or with an empty array) it is one evaluation.</summary>
    public async Task<AuthZenRefusal?> ManyAsync(HttpContext context, FlowRequest request, JsonElement root)
    {
        var defaults = AuthZenReader.Tuple(root, "the request", out var error);
        var semantic = defaults is null ? null : AuthZenReader.Semantic(root, out error);
        if (defaults is null || semantic is null)
        {
            return new AuthZenRefusal(ErrorCatalogue.AuthZenBadRequest, error!);
        }

        if (!root.TryGetProperty("evaluations", out var items) || items.ValueKind == JsonValueKind.Null || items is { ValueKind: JsonValueKind.Array } && items.GetArrayLength() == 0)
        {
            return await DecideOneAsync(context, request, defaults);
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            return new AuthZenRefusal(ErrorCatalogue.AuthZenBadRequest, "`evaluations` is not an array");
        }

        var max = request.Snapshot.Config.DecisionApis.AuthZen!.MaxEvaluations;
        if (items.GetArrayLength() > max)
        {
            return new AuthZenRefusal(ErrorCatalogue.AuthZenTooManyEvaluations, $"at most {max} evaluations in one request");
        }

        // Decide in order (a semantic may stop early), then make every record durable together.
        var decided = new List<(string Id, FlowDecision Decision, CallSubject Subject)>(items.GetArrayLength());
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var id = index++ == 0 ? request.DecisionId : DecisionIds.New();
            var (decision, subject) = await DecideItemAsync(request, item, defaults, index, id);
            decided.Add((id, decision, subject));
            var verdict = decision.Verdict;
            if ((semantic == EvaluationsSemantic.DenyOnFirstDeny && !verdict.IsAllowed) ||
                (semantic == EvaluationsSemantic.PermitOnFirstPermit && verdict.IsAllowed))
            {
                break;
            }
        }

        var pending = new Task<Verdict>[decided.Count];
        for (var i = 0; i < decided.Count; i++)
        {
            pending[i] = _flow.RecordAsync(request, decided[i].Subject, decided[i].Decision, decided[i].Id).AsTask();
        }

        var recorded = await Task.WhenAll(pending);
        await AuthZenAnswers.JsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("evaluations");
            for (var i = 0; i < recorded.Length; i++)
            {
                AuthZenAnswers.Decision(w, recorded[i], decided[i].Id);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        return null;
    }

    private async ValueTask<(FlowDecision Decision, CallSubject Subject)> DecideItemAsync(FlowRequest request, JsonElement item, AuthZenTuple defaults, int position, string id)
    {
        var own = AuthZenReader.Tuple(item, $"evaluations[{position - 1}]", out var error);
        if (own is null)
        {
            return (FlowDecision.Of(Verdict.Refuse(ErrorCatalogue.AuthZenBadRequest, error!)), CallSubject.None);
        }

        var call = AuthZenCalls.Translate(own.Over(defaults), request.Snapshot.Config, out var code, out var message);
        return call is null
            ? (FlowDecision.Of(Verdict.Refuse(code!, message!)), CallSubject.None)
            : (await _flow.DecideAsync(request, call, id), call.Subject);
    }

    private async Task<AuthZenRefusal?> DecideOneAsync(HttpContext context, FlowRequest request, AuthZenTuple tuple)
    {
        var call = AuthZenCalls.Translate(tuple, request.Snapshot.Config, out var code, out var message);
        if (call is null)
        {
            return new AuthZenRefusal(code!, message!);
        }

        var verdict = await _flow.DecideAsync(request, call);
        if (!AuthZenAnswers.IsDecision(verdict))
        {
            await HttpVerdicts.WriteAsync(context, request.DecisionId, verdict);
            return null;
        }

        await AuthZenAnswers.JsonAsync(context, w => AuthZenAnswers.Decision(w, verdict, request.DecisionId));
        return null;
    }
}
