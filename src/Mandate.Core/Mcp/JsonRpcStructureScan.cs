using Mandate.Core.Errors;
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
    public static JsonRpcError? Run(ReadOnlySpan<byte> json, int maxDepth, bool refuseCaseFoldedDuplicates, out bool isArray, List<Range> spans)
    {
        // The name sets are reused per thread: allocating them per message cost more than the rest of the scan.
        var sets = t_sets ?? new NameSets();
        t_sets = null;
        try
        {
            return Scan(json, maxDepth, refuseCaseFoldedDuplicates, out isArray, spans, sets.Exact, sets.Folded);
        }
        finally
        {
            Release(sets);
        }
    }

    private static JsonRpcError? Scan(ReadOnlySpan<byte> json, int maxDepth, bool refuseCaseFoldedDuplicates, out bool isArray, List<Range> spans,
        List<HashSet<string>> names, List<HashSet<string>> folded)
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
                            return new JsonRpcError(ErrorCatalogue.JsonRpcDepth, $"the body nests deeper than {maxDepth} levels");
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
                                folded.Add(new HashSet<string>(StringComparer.Ordinal));
                            }
                            names[depth + 1].Clear();
                            folded[depth + 1].Clear();
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
                        var name = reader.GetString()!;
                        if (reader.ValueIsEscaped && name.AsSpan().IndexOfAnyInRange('\u0000', '\u001f') >= 0 || name.Contains('\u007f'))
                        {
                            // A decoder written in C may stop at an escaped NUL and read `path\u0000x` as `path`.
                            return new JsonRpcError(ErrorCatalogue.JsonRpcControlInName, "a member name holds a control character");
                        }
                        if (!names[depth].Add(name))
                        {
                            return new JsonRpcError(ErrorCatalogue.JsonRpcDuplicateKey, "a member name appears twice in one object");
                        }
                        if (refuseCaseFoldedDuplicates && !folded[depth].Add(Fold(name)))
                        {
                            return new JsonRpcError(ErrorCatalogue.JsonRpcDuplicateKeyCase, "a member name differs from another member of its object only in letter case");
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
            return new JsonRpcError(ErrorCatalogue.JsonRpcInvalidUtf8, "a string escapes an unpaired surrogate");
        }
        catch (JsonException)
        {
            return new JsonRpcError(ErrorCatalogue.JsonRpcParse, "the body is not valid json");
        }
        if (!sawToken)
        {
            return new JsonRpcError(ErrorCatalogue.JsonRpcParse, "the body is empty");
        }
        return null;
    }

    [ThreadStatic]
    private static NameSets? t_sets;

    private sealed class NameSets
    {
        public List<HashSet<string>> Exact { get; } = [];
        public List<HashSet<string>> Folded { get; } = [];
    }

    private static void Release(NameSets sets)
    {
        // Sets that grew large (an object with thousands of members) are dropped rather than kept alive per thread.
        if (sets.Exact.Count <= 128 && sets.Exact.All(s => s.Count <= 256))
        {
            foreach (var set in sets.Exact)
            {
                set.Clear();
            }
            foreach (var set in sets.Folded)
            {
                set.Clear();
            }
            t_sets = sets;
        }
    }

    // Upper then lower case, per code point, collapses the simple case-folding orbits (k/K/U+212A KELVIN SIGN,
    // s/S/U+017F LONG S, å/Å/U+212B ANGSTROM SIGN, ι/Ι/U+0345) that case-insensitive decoders such as Go's encoding/json match.
    private static string Fold(string name)
    {
        var ascii = true;
        var upper = false;
        foreach (var c in name)
        {
            ascii &= c <= '\u007f';
            upper |= c is >= 'A' and <= 'Z';
        }
        if (ascii)
        {
            // The common case: ASCII folds to ASCII lower case (no allocation when there is nothing to fold).
            return upper ? string.Create(name.Length, name, static (span, n) => System.Text.Ascii.ToLower(n, span, out _)) : name;
        }
        var builder = new System.Text.StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            // .NET's invariant casing leaves U+017F and U+0345 alone on purpose; Unicode case folding does not.
            var folded = rune.Value switch
            {
                0x017F => new System.Text.Rune('s'),
                0x0345 => new System.Text.Rune('\u03B9'),
                _ => System.Text.Rune.ToLowerInvariant(System.Text.Rune.ToUpperInvariant(rune)),
            };
            builder.Append(folded.ToString());
        }
        return builder.ToString();
    }
}
