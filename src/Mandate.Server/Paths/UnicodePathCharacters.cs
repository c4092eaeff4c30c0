using System.Reflection;

namespace Mandate.Server.Paths;

/// <summary>What a non-ASCII character means to a path (<see cref="UnicodePathCharacters"/>).</summary>
public enum UnicodePathClass : byte
{
    /// <summary>Its own NFKC form: a backend that normalises sees the same character.</summary>
    Stable,

    /// <summary>A control character (C1, U+0080–U+009F).</summary>
    Control,

    /// <summary>Compatibility normalisation (NFKC) turns it into, or into something holding, <c>.</c> <c>/</c> <c>\</c>
    /// <c>%</c> or a control character: fullwidth forms, dot leaders, <c>…</c>, <c>℀</c>, ….</summary>
    Lookalike,

    /// <summary>May change under NFKC (a compatibility character, or a combining mark that can compose with the one
    /// before it), or is unassigned, a format character or a separator: not accepted in a path even where a route
    /// allows non-ASCII.</summary>
    Unstable,
}

/// <summary>
/// Unicode facts about path characters, from a table generated from the Unicode Character Database (through ICU) by
/// <c>UnicodePathTableTests</c>: the gateway runs in .NET's invariant globalization mode, where
/// <c>string.Normalize</c> does nothing to non-ASCII text, so it cannot ask the runtime. Code points absent from the
/// table are stable with combining class 0.
/// </summary>
public static class UnicodePathCharacters
{
    private static readonly Table Data = Load();

    /// <summary>The Unicode version the table was generated from (its header line).</summary>
    public static string Version => Data.Version;

    /// <summary>The class of a code point above U+007F, and its canonical combining class when stable.</summary>
    public static UnicodePathClass Classify(int codePoint, out byte combiningClass)
    {
        var index = Array.BinarySearch(Data.Starts, codePoint);
        if (index < 0)
        {
            index = ~index - 1;
        }

        if (index >= 0 && codePoint <= Data.Ends[index])
        {
            combiningClass = Data.CombiningClasses[index];
            return Data.Classes[index];
        }

        combiningClass = 0;
        return UnicodePathClass.Stable;
    }

    /// <summary>
    /// True when <paramref name="decoded"/> is certainly in NFKC form: every character stable and the combining marks
    /// of each run in canonical order (UAX #15 §9 quick check, with "maybe" counted as no).
    /// </summary>
    public static bool IsNfkc(string decoded)
    {
        byte last = 0;
        for (var i = 0; i < decoded.Length; i++)
        {
            int codePoint = decoded[i];
            if (char.IsHighSurrogate(decoded[i]) && i + 1 < decoded.Length)
            {
                codePoint = char.ConvertToUtf32(decoded[i], decoded[++i]);
            }

            if (codePoint < 0x80)
            {
                last = 0;
                continue;
            }

            if (Classify(codePoint, out var ccc) != UnicodePathClass.Stable || (ccc != 0 && last > ccc))
            {
                return false;
            }

            last = ccc;
        }

        return true;
    }

    private sealed record Table(string Version, int[] Starts, int[] Ends, UnicodePathClass[] Classes, byte[] CombiningClasses);

    // Lines: `# Unicode <version> …` once, then `XXXX YYYY K` (C control, L look-alike, N unstable) or `XXXX YYYY M n`
    // (stable with combining class n), sorted and disjoint.
    private static Table Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Mandate.Server.Paths.UnicodePathTable.txt")
            ?? throw new InvalidOperationException("the unicode path table is not embedded in Mandate.Server");
        using var reader = new StreamReader(stream);
        var version = "";
        var starts = new List<int>();
        var ends = new List<int>();
        var classes = new List<UnicodePathClass>();
        var cccs = new List<byte>();
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("# Unicode ", StringComparison.Ordinal))
            {
                version = line[2..];
                continue;
            }

            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ');
            starts.Add(Convert.ToInt32(parts[0], 16));
            ends.Add(Convert.ToInt32(parts[1], 16));
            classes.Add(parts[2] switch
            {
                "C" => UnicodePathClass.Control,
                "L" => UnicodePathClass.Lookalike,
                "N" => UnicodePathClass.Unstable,
                "M" => UnicodePathClass.Stable,
                _ => throw new InvalidOperationException($"unicode path table: unknown class in `{line}`"),
            });
            cccs.Add(parts[2] == "M" ? byte.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture) : (byte)0);
        }

        return new Table(version, [.. starts], [.. ends], [.. classes], [.. cccs]);
    }
}
