using Microsoft.Extensions.Logging;

namespace Mandate.Server.Flow.Approve;

/// <summary>Log messages of step-up approvals (event ids 7001-7099).</summary>
internal static partial class ApprovalLog
{
    [LoggerMessage(7001, LogLevel.Error, "the approval store failed (decision {DecisionId}); the call is refused")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string decisionId);
}
