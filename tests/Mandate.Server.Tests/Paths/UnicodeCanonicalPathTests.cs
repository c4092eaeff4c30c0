using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mandate.Server.Paths;

namespace Mandate.Server.Tests.Paths;

/// <summary>
/// Unicode in paths, against the look-alike set derived from the machine's Unicode data at test time
/// (<see cref="UnicodePathTableTests"/>): every such character is refused raw and encoded, and no canonical path ever
/// holds one (an FsCheck law over generated paths).
/// </summary>
public sealed class UnicodeCanonicalPathTests
{
    public static TheoryData<int> LookalikeCodePoints() => [.. UnicodePathTableTests.Lookalikes()];

    public static TheoryData<int> C1Controls() => [.. UnicodePathTableTests.Controls()];

    internal static string Encode(int codePoint)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(char.ConvertFromUtf32(codePoint)))
        {
            text.Append('%').Append(b.ToString("X2"));
        }

        return text.ToString();
    }

    [Theory]
    [MemberData(nameof(LookalikeCodePoints))]
    public void Parse_LookalikeEncoded_RefusedUnicodeLookalike(int codePoint)
    {
        foreach (var target in new[] { $"/a/x{Encode(codePoint)}y", $"/{Encode(codePoint)}", $"/a/{Encode(codePoint)}{Encode(codePoint)}/b", $"/a/{Encode(codePoint).ToLowerInvariant()}" })
        {
            var (path, rejection) = CanonicalPath.Parse(target);
            Assert.Null(path);
            Assert.Equal("path.unicode_lookalike", rejection!.Code.Code);
            Assert.DoesNotContain(char.ConvertFromUtf32(codePoint), rejection.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(LookalikeCodePoints))]
    public void Parse_LookalikeRaw_RefusedUnicodeLookalike(int codePoint)
    {
        var (path, rejection) = CanonicalPath.Parse($"/a/x{char.ConvertFromUtf32(codePoint)}y");

        Assert.Null(path);
        // A supplementary character arrives as a surrogate pair, which is refused as a raw non-ASCII character.
        Assert.Equal(codePoint > 0xFFFF ? "path.invalid_character" : "path.unicode_lookalike", rejection!.Code.Code);
    }

    [Theory]
    [MemberData(nameof(C1Controls))]
    public void Parse_C1ControlEncoded_RefusedControlCharacter(int codePoint)
    {
        var (_, rejection) = CanonicalPath.Parse($"/a/x{Encode(codePoint)}");

        Assert.Equal("path.control_character", rejection!.Code.Code);
    }

    [Theory]
    [InlineData("/a/caf%C3%A9", true, true)]           // é, composed
    [InlineData("/a/%E4%B8%AD%E6%96%87", true, true)]  // CJK
    [InlineData("/a/e%CC%81", true, false)]            // e + combining acute: NFKC composes it
    [InlineData("/a/%EF%BD%86", true, false)]          // fullwidth f: NFKC is f
    [InlineData("/a/%EF%AC%81", true, false)]          // ﬁ ligature
    [InlineData("/a/%C2%A0", true, false)]             // no-break space
    [InlineData("/a/%E2%80%8B", true, false)]          // zero-width space (format character)
    [InlineData("/a/%E2%80%AE", true, false)]          // right-to-left override
    [InlineData("/a/b", false, true)]
    public void Parse_NonAscii_IsAcceptedAndItsNfkcFormIsKnown(string target, bool nonAscii, bool nfkc)
    {
        var (path, rejection) = CanonicalPath.Parse(target);

        Assert.Null(rejection);
        Assert.Equal(!nonAscii, path!.IsAscii);
        Assert.Equal(nfkc, path.IsNfkc);
    }

    [Fact]
    public void IsNfkc_IsSound_ForEveryCodePointAloneAndAfterALetter()
    {
        // Whatever the table calls NFKC, the Unicode data agrees is NFKC (the table may refuse more, never less).
        for (var cp = 0x80; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            foreach (var text in new[] { char.ConvertFromUtf32(cp), "a" + char.ConvertFromUtf32(cp), char.ConvertFromUtf32(cp) + char.ConvertFromUtf32(cp) })
            {
                if (UnicodePathCharacters.IsNfkc(text))
                {
                    Assert.True(IcuUnicode.IsNfkc(text), $"U+{cp:X4} in `{text}`: the table says NFKC, the Unicode data does not");
                }
            }
        }
    }

    // Characters the generator draws from: the look-alikes, C1 controls, combining marks, compatibility characters,
    // letters of several scripts, and ASCII (dots included).
    private static readonly Lazy<(int[] Lookalikes, int[] Controls)> Drawn =
        new(() => (UnicodePathTableTests.Lookalikes().ToArray(), UnicodePathTableTests.Controls().ToArray()));

    private static Gen<int> CodePoint() => Gen.OneOf(
        Gen.Elements(Drawn.Value.Lookalikes),
        Gen.Elements(Drawn.Value.Controls),
        Gen.Choose(0x300, 0x36F),
        Gen.Choose(0x80, 0x2FFF),
        Gen.Choose(0xF900, 0xFFFD).Where(c => c is < 0xFDD0 or > 0xFDEF),
        Gen.Choose(0x10000, 0x1FFFF),
        Gen.Elements((int)'a', 'Z', '0', '.', '-', '_', '~'));

    private static Gen<string> Atom() =>
        from cp in CodePoint()
        from raw in Gen.Elements(false, false, true)
        select raw && cp <= 0xFFFF ? char.ConvertFromUtf32(cp) : cp < 0x80 ? ((char)cp).ToString() : Encode(cp);

    private static Arbitrary<string> Targets() => Arb.From(
        from segmentCount in Gen.Choose(1, 3)
        from segments in Gen.CollectToArray(Enumerable.Range(0, segmentCount).Select(_ =>
            from n in Gen.Choose(1, 4)
            from atoms in Gen.ListOf(Atom(), n)
            select string.Concat(atoms)))
        select "/" + string.Join('/', segments));

    [Property(MaxTest = 2000)]
    public Property Parse_AcceptedPath_HoldsNoLookalikeAndNormalisesToItsOwnSegments() =>
        Prop.ForAll(Targets(), target =>
        {
            var (path, _) = CanonicalPath.Parse(target);
            if (path is null)
            {
                return true;
            }

            foreach (var segment in path.Segments)
            {
                var nfkc = IcuUnicode.Nfkc(segment.Decoded);
                var safe = !nfkc.Any(c => c is '/' or '\\' or '%' || char.IsControl(c))
                    && nfkc.Count(c => c == '.') == segment.Decoded.Count(c => c == '.')
                    && nfkc is not ("." or "..")
                    && !segment.Decoded.EnumerateRunes().Any(r => UnicodePathTableTests.KindOf(r.Value) is 'L' or 'C');
                if (!safe || (path.IsNfkc && !IcuUnicode.IsNfkc(segment.Decoded)))
                {
                    return false;
                }
            }

            return true;
        });
}
