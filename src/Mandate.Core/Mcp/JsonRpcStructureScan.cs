using System.Text.Json;

namespace Mandate.Core.Mcp;

/// <summary>
/// One forward pass over a body with <see cref="Utf8JsonReader"/> (iterative, so nesting never grows the
/// stack): checks the JSON grammar, the depth limit, duplicate member names at every level (compared after
/// unescaping, so <c>"a"</c> and <c>"\u0061"</c> collide), escaped strings that decode to unpaired surrogates,
/// and records where each top-level message starts and ends.
/// </summary>
internal static class JsonRpcStructureScan
{
    /// <summary>Scans <paramref name="json"/>; on success fills <paramref name="spans"/> with one range per message.</summary>
    public static JsonRpcError? Run(ReadOnlySpan<byte> json, int maxDepth, out bool isArray, List<Range> spans)
    {
        isArray = false;
        var options = new JsonReaderOptions
        {
            // Above our own limit so our check (with its own rule) fires first; the reader would throw a generic error.
            MaxDepth = maxDepth >= int.MaxValue - 2 ? int.MaxValue : maxDepth + 2,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        };
        var reader = new Utf8JsonReader(json, options);
        var names = new List<HashSet<string>>();
        var start = -1;
        var sawToken = false;
        try
        {
            while (reader.Read())
            {
                sawToken = true;
                var depth = reader.CurrentDepth;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (depth + 1 > maxDepth)
                        {
                            return new JsonRpcError(JsonRpcErrorCodes.InvalidRequest, $"the body nests deeper than {maxDepth} levels", JsonRpcRules.Depth);
                        }
                        if (depth == 0)
                        {
                            isArray = reader.TokenType == JsonTokenType.StartArray;
                            start = (int)reader.TokenStartIndex;
                        }
                        else if (depth == 1 && isArray)
                        {
                            start = (int)reader.TokenStartIndex;
                        }
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            // The object's members are read at depth + 1.
                            while (names.Count <= depth + 1)
                            {
                                names.Add(new HashSet<string>(StringComparer.Ordinal));
                            }
                            names[depth + 1].Clear();
                        }
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        if (depth == 0 && !isArray || depth == 1 && isArray)
                        {
                            spans.Add(new Range(start, (int)reader.BytesConsumed));
                        }
                        break;
                    case JsonTokenType.PropertyName:
                        // GetString unescapes, so escaped spellings of one name collide.
                        if (!names[depth].Add(reader.GetString()!))
                        {
                            return new JsonRpcError(JsonRpcErrorCodes.InvalidRequest, $"member `{Shorten(reader.GetString()!)}` appears twice in one object", JsonRpcRules.DuplicateKey);
                        }
                        break;
                    default:
                        if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped)
                        {
                            _ = reader.GetString(); // throws on an escaped unpaired surrogate
                        }
                        if (depth == 0 || depth == 1 && isArray)
                        {
                            spans.Add(new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed));
                        }
                        break;
                }
            }
        }
        catch (InvalidOperationException)
        {
            return new JsonRpcError(JsonRpcErrorCodes.ParseError, "a string escapes an unpaired surrogate", JsonRpcRules.InvalidUtf8);
        }
        catch (JsonException)
        {
            return new JsonRpcError(JsonRpcErrorCodes.ParseError, "the body is not valid json", JsonRpcRules.Parse);
        }

        if (!sawToken)
        {
            return new JsonRpcError(JsonRpcErrorCodes.ParseError, "the body is empty", JsonRpcRules.Parse);
        }
        return null;
    }

    private static string Shorten(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
