using Microsoft.Extensions.Logging;

namespace Mandate.Core.Audit.Segments;

/// <summary>Log messages of the segment log's writer. A lasting problem is logged when it starts and when it ends, not
/// on every batch.</summary>
internal static partial class SegmentLogEvents
{
    [LoggerMessage(5101, LogLevel.Error, "audit log unwritable, {Count} records refused (their requests are denied with audit.unavailable): {Error}")]
    public static partial void Unwritable(ILogger logger, int count, string error);

    [LoggerMessage(5102, LogLevel.Information, "audit log writes again (head {Seq})")]
    public static partial void Recovered(ILogger logger, long seq);

    [LoggerMessage(5103, LogLevel.Warning, "audit log tail torn by a crash: {Bytes} bytes of never-completed records set aside beside the segment")]
    public static partial void TornTail(ILogger logger, long bytes);

    [LoggerMessage(5104, LogLevel.Error, "signed audit checkpoint after record {Seq} could not be written; retried later: {Error}")]
    public static partial void CheckpointFailed(ILogger logger, long seq, string error);
}
