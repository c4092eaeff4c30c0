using System.Runtime.CompilerServices;
using System.Text;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// Reads server-sent events from an upstream stream (UTF-8, lines ended by CRLF, LF or CR), one event at a
/// time, so list answers inside an event stream can be filtered before they reach the client.
/// </summary>
public static class SseEventReader
{
    /// <summary>Events until the stream ends; an event larger than <paramref name="maxEventChars"/> ends the stream with an exception.</summary>
    public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream, int maxEventChars, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        var lines = new List<string>();
        var size = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (lines.Count > 0)
                {
                    yield return new SseEvent(lines);
                    lines = [];
                    size = 0;
                }

                continue;
            }

            size += line.Length;
            if (size > maxEventChars)
            {
                throw new InvalidDataException($"an event from the upstream is larger than {maxEventChars} characters");
            }

            lines.Add(line);
        }

        // An event not ended by a blank line is discarded, as SSE clients discard it.
    }
}
