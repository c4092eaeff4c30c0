using System.Globalization;
using Mandate.Core.Audit;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>
/// The terms of <c>audit_spans</c>: one row per (term, committed batch) says "records of this term occur between
/// first_seq and last_seq". A record has up to three: <c>agent:&lt;agent&gt;</c>, <c>session:&lt;session_id&gt;</c> and
/// <c>minute:&lt;yyyy-MM-ddTHH:mm&gt;</c> (UTC, the first 16 characters of its stored time).
/// </summary>
internal static class AuditSpanTerms
{
    public const string AgentPrefix = "agent:";
    public const string SessionPrefix = "session:";
    public const string MinutePrefix = "minute:";

    /// <summary>Sorts right after every minute term (<c>;</c> follows <c>:</c>), so
    /// <c>term &gt;= 'minute:…' AND term &lt; 'minute;'</c> is a range over minute terms only.</summary>
    public const string MinuteEnd = "minute;";

    private const string MinuteFormat = "yyyy-MM-dd'T'HH:mm";

    public static string Agent(string agent) => AgentPrefix + agent;

    public static string Session(string session) => SessionPrefix + session;

    /// <summary>The minute term of <paramref name="time"/>: what the record's stored time starts with.</summary>
    public static string Minute(DateTimeOffset time) => MinutePrefix + AuditRecordFormat.FormatTime(time)[..AuditRecordFormat.MinuteLength];

    /// <summary>The minute term of a record time given as whole minutes since 0001-01-01 UTC, as UTF-8.</summary>
    public static int WriteMinute(long minute, Span<byte> utf8)
    {
        "minute:"u8.CopyTo(utf8);
        var time = new DateTime(minute * TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        if (!time.TryFormat(utf8[MinutePrefix.Length..], out var written, MinuteFormat, CultureInfo.InvariantCulture)
            || written != AuditRecordFormat.MinuteLength)
        {
            throw new ArgumentException("the minute does not fit the record format", nameof(minute));
        }
        return MinutePrefix.Length + written;
    }

    /// <summary>Length of a minute term in UTF-8.</summary>
    public const int MinuteTermLength = 7 + AuditRecordFormat.MinuteLength;
}
