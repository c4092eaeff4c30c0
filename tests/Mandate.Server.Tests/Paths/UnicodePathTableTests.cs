using System.Text;
using Mandate.Server.Paths;

namespace Mandate.Server.Tests.Paths;

/// <summary>
/// The gateway's Unicode path table (<c>src/Mandate.Server/Paths/UnicodePathTable.txt</c>) against the Unicode data
/// of the machine's ICU, derived here at test time code point by code point. <c>MANDATE_WRITE_DOCS=1</c> rewrites the
/// table from it (after a Unicode upgrade).
/// </summary>
public sealed class UnicodePathTableTests
{
    private static readonly Lazy<IReadOnlyDictionary<int, (char Kind, int Ccc)>> Derived = new(Derive);

    /// <summary>Every code point whose NFKC form holds <c>.</c> <c>/</c> <c>\</c> <c>%</c> or a control character, from ICU.</summary>
    public static IReadOnlyList<int> Lookalikes() => Sets.Value.Lookalikes;

    /// <summary>The C1 control characters, from ICU.</summary>
    public static IReadOnlyList<int> Controls() => Sets.Value.Controls;

    private static readonly Lazy<(int[] Lookalikes, int[] Controls)> Sets = new(() => (
        Derived.Value.Where(p => p.Value.Kind == 'L').Select(p => p.Key).Order().ToArray(),
        Derived.Value.Where(p => p.Value.Kind == 'C').Select(p => p.Key).Order().ToArray()));

    /// <summary>The class of a non-ASCII code point as the tests derive it from ICU (S stable, M stable combining mark,
    /// C control, L look-alike, N unstable).</summary>
    public static char KindOf(int codePoint) => Derived.Value.TryGetValue(codePoint, out var k) ? k.Kind : 'S';

    [Fact]
    public void Table_IsTheOneDerivedFromUnicodeData()
    {
        var path = Path.Combine(RepositoryRootPath(), "src", "Mandate.Server", "Paths", "UnicodePathTable.txt");
        var text = Render();
        if (Environment.GetEnvironmentVariable("MANDATE_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, text);
        }

        if (UnicodePathCharacters.Version == HeaderVersion())
        {
            Assert.True(File.ReadAllText(path) == text, "UnicodePathTable.txt differs from the Unicode data; regenerate it with MANDATE_WRITE_DOCS=1");
            return;
        }

        // Another Unicode version on this machine: the table must still be at least as strict for every code point
        // (a character the table's version did not assign is refused there as unstable).
        for (var cp = 0x80; cp <= 0x10FFFF; cp++)
        {
            var table = UnicodePathCharacters.Classify(cp, out _);
            var kind = KindOf(cp);
            Assert.True(kind switch
            {
                'C' => table is UnicodePathClass.Control or UnicodePathClass.Unstable,
                'L' => table is UnicodePathClass.Lookalike or UnicodePathClass.Unstable,
                'N' => table is not UnicodePathClass.Stable,
                _ => true,
            }, $"U+{cp:X4}: the table says {table}, {IcuUnicode.Version} says {kind}");
        }
    }

    [Fact]
    public void Classify_AgreesWithUnicodeData_ForEveryCodePoint()
    {
        if (UnicodePathCharacters.Version != HeaderVersion())
        {
            return; // covered by the strictness check above
        }

        for (var cp = 0x80; cp <= 0x10FFFF; cp++)
        {
            var table = UnicodePathCharacters.Classify(cp, out var ccc);
            var (kind, expectedCcc) = Derived.Value.TryGetValue(cp, out var k) ? k : ('S', 0);
            var expected = kind switch
            {
                'C' => UnicodePathClass.Control,
                'L' => UnicodePathClass.Lookalike,
                'N' => UnicodePathClass.Unstable,
                _ => UnicodePathClass.Stable,
            };
            Assert.True(expected == table && expectedCcc == ccc, $"U+{cp:X4}: {table}/{ccc}, expected {expected}/{expectedCcc}");
        }
    }

    [Fact]
    public void Lookalikes_HoldTheKnownFamilies()
    {
        // Spot checks that the derivation itself works: fullwidth, small and dot-leader forms are in it; letters are not.
        var set = Lookalikes().ToHashSet();
        foreach (var cp in new[] { 0xFF0E, 0xFF0F, 0xFF3C, 0xFF05, 0x2024, 0x2025, 0x2026, 0xFE52, 0xFE68, 0xFE6A, 0x2100, 0x2488 })
        {
            Assert.Contains(cp, set);
        }

        Assert.DoesNotContain(0x00E9, set);
        Assert.DoesNotContain(0xFF41, set);
        Assert.True(set.Count >= 30, $"only {set.Count} look-alikes derived");
    }

    private static string HeaderVersion() => IcuUnicode.Version[(IcuUnicode.Version.IndexOf("Unicode", StringComparison.Ordinal))..];

    private static IReadOnlyDictionary<int, (char Kind, int Ccc)> Derive()
    {
        var result = new Dictionary<int, (char, int)>();
        for (var cp = 0x80; cp <= 0x10FFFF; cp++)
        {
            var kind = Kind(cp);
            if (kind.Kind != 'S')
            {
                result[cp] = kind;
            }
        }

        return result;
    }

    private static (char Kind, int Ccc) Kind(int cp)
    {
        if (cp is >= 0xD800 and <= 0xDFFF)
        {
            return ('N', 0);
        }

        var category = IcuUnicode.Category(cp);
        if (category == IcuUnicode.Control)
        {
            return ('C', 0);
        }

        if (IcuUnicode.Nfkc(cp).Any(c => c is '.' or '/' or '\\' or '%' || char.IsControl(c)))
        {
            return ('L', 0);
        }

        // Unassigned, format characters and space/line/paragraph separators are never accepted; nor is anything NFKC
        // could change (quick check no or maybe).
        if (category is IcuUnicode.Unassigned or IcuUnicode.Format or 12 or 13 or 14 || IcuUnicode.QuickCheck(cp) != 1)
        {
            return ('N', 0);
        }

        var ccc = IcuUnicode.Ccc(cp);
        return ccc == 0 ? ('S', 0) : ('M', ccc);
    }

    private static string Render()
    {
        var text = new StringBuilder();
        text.Append("# ").Append(HeaderVersion()).Append(" (").Append(IcuUnicode.Version[..IcuUnicode.Version.IndexOf(',')]).Append(")\n");
        text.Append("# Generated by tests/Mandate.Server.Tests/Paths/UnicodePathTableTests.cs (MANDATE_WRITE_DOCS=1); do not edit.\n");
        text.Append("# start end class [ccc]: C control, L NFKC holds . / \\ % or a control, N unstable, M stable with combining class.\n");
        var entries = Derived.Value.OrderBy(p => p.Key).ToArray();
        for (var i = 0; i < entries.Length;)
        {
            var (start, kind) = (entries[i].Key, entries[i].Value);
            var end = start;
            while (i + 1 < entries.Length && entries[i + 1].Key == end + 1 && entries[i + 1].Value == kind)
            {
                end = entries[++i].Key;
            }

            i++;
            text.Append($"{start:X4} {end:X4} {kind.Kind}");
            if (kind.Kind == 'M')
            {
                text.Append(' ').Append(kind.Ccc);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string RepositoryRootPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mandate.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the table test runs from a checkout");
    }
}
