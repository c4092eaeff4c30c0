using System.Buffers;

namespace Mandate.Core.Mcp;

/// <summary>Builds a whole response body from individual response messages (already serialized JSON).</summary>
public static class JsonRpcResponseBody
{
    /// <summary>
    /// The body for <paramref name="responses"/>: for a batch a JSON array of them (possibly just some of a
    /// batch's answers); otherwise the single response unchanged. Null when there is nothing to send (a batch
    /// of notifications only, or a single notification), which HTTP answers with 202 and no body.
    /// </summary>
    public static byte[]? Build(bool isBatch, IReadOnlyList<ReadOnlyMemory<byte>> responses)
    {
        if (responses.Count == 0)
        {
            return null;
        }
        if (!isBatch)
        {
            if (responses.Count != 1)
            {
                throw new ArgumentException("a single message has at most one response", nameof(responses));
            }
            return responses[0].ToArray();
        }
        var buffer = new ArrayBufferWriter<byte>(responses.Sum(r => r.Length) + responses.Count + 2);
        buffer.Write("["u8);
        for (var i = 0; i < responses.Count; i++)
        {
            if (i > 0)
            {
                buffer.Write(","u8);
            }
            buffer.Write(responses[i].Span);
        }
        buffer.Write("]"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The error body for a parse result that is not <see cref="JsonRpcParseResult.AllValid"/>: the whole-body
    /// error (id null), or one error response per invalid message. Null when the result is valid.
    /// </summary>
    public static byte[]? ForInvalid(JsonRpcParseResult result)
    {
        if (result.Error is { } error)
        {
            return JsonRpcErrors.ToBytes(null, error);
        }
        var errors = result.Messages
            .Where(m => m.Kind == JsonRpcMessageKind.Invalid)
            .Select(m => (ReadOnlyMemory<byte>)JsonRpcErrors.ToBytes(m.Id, m.Error!))
            .ToList();
        return errors.Count == 0 ? null : Build(result.IsBatch, errors);
    }
}
