using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Flow.Identify;

namespace Mandate.Server.Flow.Decide;

/// <summary>
/// The rule that keeps a decision API from being an oracle for everyone: a call decided for a subject other than the
/// caller is decided only when the caller is a configured client (<c>decisionApis.authzen.clients</c>) and one of its
/// <c>subjects</c> patterns matches the subject; otherwise <c>authzen.subject_not_allowed</c>.
/// </summary>
public static class SubjectScopeRule
{
    /// <summary>The refusal for asking about <paramref name="subject"/>, or null when the caller may ask.</summary>
    public static Verdict? Refusal(FlowRequest request, ResolvedCaller caller, EntityRef subject)
    {
        var client = request.Snapshot.Config.DecisionApis.AuthZen?.ClientFor(caller.Identity.AgentId, caller.Identity.Method);
        if (client is null)
        {
            return Verdict.Refuse(ErrorCatalogue.AuthZenSubjectNotAllowed, "the caller is not a decision API client");
        }

        return client.MayAskAbout(subject.Type, subject.Id)
            ? null
            : Verdict.Refuse(ErrorCatalogue.AuthZenSubjectNotAllowed, "the caller may not ask about this subject");
    }
}
