using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.Http;

/// <summary>Log messages of the HTTP front (event ids kept from before the flow was one).</summary>
internal static partial class HttpLog
{
    [LoggerMessage(2003, LogLevel.Error, "request {DecisionId} failed with an exception")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string decisionId);

    [LoggerMessage(2004, LogLevel.Warning, "forwarding {DecisionId} to upstream {Upstream} failed: {Error}")]
    public static partial void ForwardFailed(ILogger logger, string decisionId, string upstream, string error);

    [LoggerMessage(2007, LogLevel.Error, "a request kestrel refused could not be recorded")]
    public static partial void KestrelRefusalNotRecorded(ILogger logger, Exception exception);

    [LoggerMessage(2005, LogLevel.Error, "upstream credential `{Secret}` for decision {DecisionId} is unavailable: {Error}")]
    public static partial void CredentialUnavailable(ILogger logger, string secret, string decisionId, string error);
}
