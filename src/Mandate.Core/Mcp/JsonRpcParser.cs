using Mandate.Core.Errors;
using System.Text.Json;
using System.Text.Unicode;

namespace Mandate.Core.Mcp;

/// <summary>
/// Strict JSON-RPC 2.0 reader for untrusted bodies. Stages, each refusing with its own rule:
/// size → UTF-8 → JSON grammar, depth and duplicate names (<see cref="JsonRpcStructureScan"/>) → batch rules
/// → each message's shape (<c>jsonrpc</c> exactly <c>"2.0"</c>, id a string or an integer, no unknown members,
/// params an object, response with result xor error) → id collisions within a batch.
/// Nothing is trimmed, case-folded or normalized: a method is the exact decoded string the client sent.
/// </summary>
public static class JsonRpcParser
{
    /// <summary>Reads <paramref name="body"/>. Never throws for any input.</summary>
    /// <param name="body">The request or response body.</param>
    /// <param name="limits">Size, depth and batch limits.</param>
    /// <param name="allowBatch">Whether a JSON array of messages is allowed (MCP 2025-03-26 only).</param>
    public static JsonRpcParseResult Parse(ReadOnlySpan<byte> body, JsonRpcLimits limits, bool allowBatch)
    {
        if (body.Length > limits.MaxBytes)
        {
            return JsonRpcParseResult.Failure(false, new JsonRpcError(ErrorCatalogue.JsonRpcTooLarge, $"the body is larger than {limits.MaxBytes} bytes"));
        }
        if (!Utf8.IsValid(body))
        {
            return JsonRpcParseResult.Failure(false, new JsonRpcError(ErrorCatalogue.JsonRpcInvalidUtf8, "the body is not valid utf-8"));
        }

        var spans = new List<Range>();
        if (JsonRpcStructureScan.Run(body, limits.MaxDepth, limits.RefuseCaseFoldedDuplicates, out var isArray, spans) is { } structural)
        {
            return JsonRpcParseResult.Failure(isArray, structural);
        }
        if (isArray)
        {
            if (!allowBatch)
            {
                return JsonRpcParseResult.Failure(true, new JsonRpcError(ErrorCatalogue.JsonRpcBatchNotAllowed, "batches are not allowed here"));
            }
            if (spans.Count == 0)
            {
                return JsonRpcParseResult.Failure(true, new JsonRpcError(ErrorCatalogue.JsonRpcEmptyBatch, "the batch is empty"));
            }
            if (spans.Count > limits.MaxBatch)
            {
                return JsonRpcParseResult.Failure(true, new JsonRpcError(ErrorCatalogue.JsonRpcBatchTooLarge, $"the batch holds {spans.Count} messages; at most {limits.MaxBatch} are allowed"));
            }
        }

        // One copy of the body: the messages' Raw slices point into it and stay valid after this returns.
        var owned = body.ToArray();
        JsonElement root;
        var documentOptions = new JsonDocumentOptions
        {
            AllowDuplicateProperties = false, // INVARIANT: the scan already refused them; this is a second lock
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = limits.MaxDepth >= int.MaxValue - 2 ? int.MaxValue : limits.MaxDepth + 2,
        };
        try
        {
            using var document = JsonDocument.Parse(owned, documentOptions);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonRpcParseResult.Failure(isArray, new JsonRpcError(ErrorCatalogue.JsonRpcParse, "the body is not valid json"));
        }

        var messages = new List<JsonRpcMessage>(spans.Count);
        if (isArray)
        {
            var i = 0;
            foreach (var element in root.EnumerateArray())
            {
                messages.Add(ReadMessage(element, owned.AsMemory(spans[i++])));
            }
        }
        else
        {
            messages.Add(ReadMessage(root, owned.AsMemory(spans[0])));
        }

        if (isArray && FindDuplicateId(messages) is { } duplicate)
        {
            return JsonRpcParseResult.Failure(true, new JsonRpcError(ErrorCatalogue.JsonRpcDuplicateId, $"id `{Shorten(duplicate.RawJson)}` is used twice in one batch"));
        }
        return JsonRpcParseResult.Success(isArray, messages);
    }

    /// <summary>Reads one message; never throws.</summary>
    private static JsonRpcMessage ReadMessage(JsonElement element, ReadOnlyMemory<byte> raw)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Invalid(raw, null, "a message must be a json object", ErrorCatalogue.JsonRpcNotObject);
        }

        JsonElement? version = null, method = null, id = null, parameters = null, result = null, error = null;
        string? unknown = null;
        foreach (var member in element.EnumerateObject())
        {
            switch (member.Name)
            {
                case "jsonrpc": version = member.Value; break;
                case "method": method = member.Value; break;
                case "id": id = member.Value; break;
                case "params": parameters = member.Value; break;
                case "result": result = member.Value; break;
                case "error": error = member.Value; break;
                default: unknown ??= member.Name; break;
            }
        }

        // Read the id first so even an invalid message's error can echo it (JSON-RPC: null only when unreadable).
        var isErrorResponse = method is null && error is not null;
        JsonRpcId? readId = null;
        var idOk = true;
        if (id is not null)
        {
            idOk = JsonRpcId.TryRead(id.Value, allowNull: isErrorResponse, out var parsedId);
            readId = idOk ? parsedId : null;
        }

        if (unknown is not null)
        {
            return Invalid(raw, readId, $"member `{Shorten(unknown)}` is not part of json-rpc 2.0", ErrorCatalogue.JsonRpcUnknownMember);
        }
        if (version is not { ValueKind: JsonValueKind.String } || !string.Equals(version.Value.GetString(), "2.0", StringComparison.Ordinal))
        {
            return Invalid(raw, readId, "`jsonrpc` must be exactly \"2.0\"", ErrorCatalogue.JsonRpcBadVersion);
        }
        if (!idOk)
        {
            return Invalid(raw, null, "`id` must be a string or an integer", ErrorCatalogue.JsonRpcBadId);
        }

        if (method is not null)
        {
            if (result is not null || error is not null)
            {
                return Invalid(raw, readId, "a message cannot have both `method` and `result` or `error`", ErrorCatalogue.JsonRpcBadResponse);
            }
            if (method.Value.ValueKind != JsonValueKind.String)
            {
                return Invalid(raw, readId, "`method` must be a string", ErrorCatalogue.JsonRpcBadMethod);
            }
            if (parameters is not null && parameters.Value.ValueKind != JsonValueKind.Object)
            {
                // JSON-RPC also allows an array; MCP never uses one, so it is refused rather than guessed at.
                return Invalid(raw, readId, "`params` must be an object", ErrorCatalogue.JsonRpcBadParams);
            }
            return new JsonRpcMessage
            {
                Kind = id is null ? JsonRpcMessageKind.Notification : JsonRpcMessageKind.Request,
                Id = readId,
                Method = method.Value.GetString(),
                Params = parameters,
                Raw = raw,
            };
        }

        if (parameters is not null)
        {
            return Invalid(raw, readId, "`params` without a `method`", ErrorCatalogue.JsonRpcMissingMethod);
        }
        if (result is null && error is null)
        {
            return Invalid(raw, readId, "a message needs a `method`, or a `result` or an `error`", ErrorCatalogue.JsonRpcMissingMethod);
        }
        if (result is not null && error is not null)
        {
            return Invalid(raw, readId, "a response has `result` or `error`, not both", ErrorCatalogue.JsonRpcBadResponse);
        }
        if (id is null)
        {
            return Invalid(raw, null, "a response needs an `id`", ErrorCatalogue.JsonRpcBadId);
        }
        if (error is not null && !IsErrorObject(error.Value))
        {
            return Invalid(raw, readId, "`error` must be {\"code\": integer, \"message\": string, \"data\"?}", ErrorCatalogue.JsonRpcBadError);
        }
        return new JsonRpcMessage
        {
            Kind = JsonRpcMessageKind.Response,
            Id = readId,
            Result = result,
            ResponseError = error,
            Raw = raw,
        };
    }

    private static bool IsErrorObject(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        bool code = false, message = false;
        foreach (var member in error.EnumerateObject())
        {
            switch (member.Name)
            {
                case "code":
                    code = member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetInt32(out _) && member.Value.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0;
                    break;
                case "message":
                    message = member.Value.ValueKind == JsonValueKind.String;
                    break;
                case "data":
                    break;
                default:
                    return false;
            }
        }
        return code && message;
    }

    // Requests and responses are separate id spaces (a response answers a server-initiated request).
    private static JsonRpcId? FindDuplicateId(List<JsonRpcMessage> messages)
    {
        var requests = new HashSet<JsonRpcId>();
        var responses = new HashSet<JsonRpcId>();
        foreach (var m in messages)
        {
            if (m.Id is not { } id || m.Kind == JsonRpcMessageKind.Notification)
            {
                continue;
            }
            var set = m.Kind == JsonRpcMessageKind.Response ? responses : requests;
            if (!set.Add(id))
            {
                return id;
            }
        }
        return null;
    }

    private static JsonRpcMessage Invalid(ReadOnlyMemory<byte> raw, JsonRpcId? id, string message, ErrorCode rule) =>
        new() { Kind = JsonRpcMessageKind.Invalid, Id = id, Raw = raw, Error = new JsonRpcError(rule, message) };

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
