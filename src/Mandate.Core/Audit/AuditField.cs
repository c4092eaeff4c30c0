namespace Mandate.Core.Audit;

/// <summary>
/// The fields of a binary (format 2) record, by number. A record holds each field at most once, in ascending order, and
/// says which it holds in a 32-bit presence mask; a field left out reads as null (or empty). New fields take new
/// numbers; a number is never reused for another meaning.
/// </summary>
public enum AuditField
{
    /// <summary><c>kind</c>, text. Always present.</summary>
    Kind = 0,
    /// <summary><c>decision_id</c>: 16 bytes when it is a lowercase UUID, else text.</summary>
    DecisionId = 1,
    /// <summary><c>time</c>: microseconds since 0001-01-01 UTC, unsigned varint.</summary>
    Time = 2,
    /// <summary><c>node</c>, text.</summary>
    Node = 3,
    /// <summary><c>trace_id</c>, text.</summary>
    TraceId = 4,
    /// <summary><c>session_id</c>, text.</summary>
    SessionId = 5,
    /// <summary><c>agent</c>, text.</summary>
    Agent = 6,
    /// <summary><c>user</c>, text.</summary>
    User = 7,
    /// <summary><c>chain</c>, list of text.</summary>
    Chain = 8,
    /// <summary><c>action</c>, text.</summary>
    Action = 9,
    /// <summary><c>resource</c>, text.</summary>
    Resource = 10,
    /// <summary><c>request_digest</c>, text.</summary>
    RequestDigest = 11,
    /// <summary><c>decision</c>, text.</summary>
    Decision = 12,
    /// <summary><c>policies</c>, list of text.</summary>
    Policies = 13,
    /// <summary><c>errors</c>, list of text.</summary>
    Errors = 14,
    /// <summary><c>reasons</c>, list of text.</summary>
    Reasons = 15,
    /// <summary><c>status</c>, signed varint.</summary>
    Status = 16,
    /// <summary><c>bytes</c>, signed varint.</summary>
    Bytes = 17,
    /// <summary><c>latency_us</c>, signed varint.</summary>
    LatencyMicros = 18,
    /// <summary><c>details</c>: a count (one byte) and that many key/value text pairs.</summary>
    Details = 19,
}
