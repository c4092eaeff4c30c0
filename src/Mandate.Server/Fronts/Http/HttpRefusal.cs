using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.Http;

/// <summary>Refuses an HTTP request through the flow (recorded once) and writes the answer.</summary>
public static class HttpRefusal
{
    /// <summary>Records the refusal with <paramref name="code"/> and writes its problem.</summary>
    public static async Task WriteAsync(HttpContext context, DecisionFlow flow, HttpRequestState state, ErrorCode code, string detail)
    {
        var verdict = await flow.RefuseAsync(state.Flow, state.Call?.Subject ?? CallSubject.None, code, detail);
        await HttpVerdicts.WriteAsync(context, state.Flow.DecisionId, verdict);
    }
}
