using System.Text;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// One server-sent event as its field lines (without the blank line that ends it). Kept as lines so an event
/// Mandate does not change is relayed exactly; <see cref="Data"/> is the event's data (data lines joined by
/// <c>\n</c>, as the SSE specification assembles them).
/// </summary>
/// <param name="Lines">The event's lines, in order (fields and comments).</param>
public sealed record SseEvent(IReadOnlyList<string> Lines)
{
    /// <summary>The assembled data, or null when the event has no data line.</summary>
    public string? Data
    {
        get
        {
            StringBuilder? data = null;
            foreach (var line in Lines)
            {
                if (FieldValue(line, "data") is { } value)
                {
                    data = data is null ? new StringBuilder(value) : data.Append('\n').Append(value);
                }
            }

            return data?.ToString();
        }
    }

    /// <summary>The same event with its data replaced (one data line; other fields kept in place of the first data line).</summary>
    public SseEvent WithData(string data)
    {
        var lines = new List<string>(Lines.Count);
        var written = false;
        foreach (var line in Lines)
        {
            if (FieldValue(line, "data") is null)
            {
                lines.Add(line);
            }
            else if (!written)
            {
                // JSON written by Mandate has no raw line breaks, so one data line holds it.
                lines.Add("data: " + data);
                written = true;
            }
        }

        return new SseEvent(lines);
    }

    /// <summary>The event as wire text, ending with the blank line.</summary>
    public string ToWire()
    {
        var text = new StringBuilder();
        foreach (var line in Lines)
        {
            text.Append(line).Append('\n');
        }

        return text.Append('\n').ToString();
    }

    private static string? FieldValue(string line, string field)
    {
        if (!line.StartsWith(field, StringComparison.Ordinal))
        {
            return null;
        }

        if (line.Length == field.Length)
        {
            return "";
        }

        if (line[field.Length] != ':')
        {
            return null;
        }

        var value = line.AsSpan(field.Length + 1);
        return (value.Length > 0 && value[0] == ' ' ? value[1..] : value).ToString();
    }
}
