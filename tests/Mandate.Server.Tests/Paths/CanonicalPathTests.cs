using Mandate.Server.Paths;

namespace Mandate.Server.Tests.Paths;

public sealed class CanonicalPathTests
{
    [Theory]
    [InlineData("/", "/", "")]
    [InlineData("/tickets/42", "/tickets/42", "")]
    [InlineData("/tickets/42?x=1&y=%2F", "/tickets/42", "?x=1&y=%2F")]
    [InlineData("/%74ickets/%34%32", "/tickets/42", "")]
    [InlineData("/a/%7e%5f%2d", "/a/~_-", "")]
    [InlineData("/a/b%20c", "/a/b%20c", "")]
    [InlineData("/a/b%3fc", "/a/b%3Fc", "")]
    [InlineData("/a/caf%c3%a9", "/a/caf%C3%A9", "")]
    [InlineData("/a/file.txt", "/a/file.txt", "")]
    [InlineData("/a/...", "/a/...", "")]
    [InlineData("/a/b:c@d!$&'()*+,=", "/a/b:c@d!$&'()*+,=", "")]
    public void Parse_AcceptedTarget_GivesCanonicalForm(string raw, string path, string query)
    {
        var (canonical, rejection) = CanonicalPath.Parse(raw);

        Assert.Null(rejection);
        Assert.Equal(path, canonical!.Value);
        Assert.Equal(query, canonical.Query);
    }

    [Fact]
    public void Parse_EncodedUtf8_SegmentDecodedForMatching()
    {
        var (canonical, _) = CanonicalPath.Parse("/tickets/caf%C3%A9%20x");

        Assert.Equal("café x", canonical!.Segments[1].Decoded);
        Assert.Equal("caf%C3%A9%20x", canonical.Segments[1].Encoded);
    }

    [Theory]
    [InlineData("tickets", "path.not_origin_form")]
    [InlineData("*", "path.not_origin_form")]
    [InlineData("http://x/tickets", "path.not_origin_form")]
    [InlineData("/a%2Fb", "path.encoded_slash")]
    [InlineData("/a%5Cb", "path.encoded_backslash")]
    [InlineData("/a\\b", "path.backslash")]
    [InlineData("/a/%2e", "path.encoded_dot")]
    [InlineData("/a/.", "path.dot_segment")]
    [InlineData("/a/../b", "path.dot_segment")]
    [InlineData("/a//b", "path.empty_segment")]
    [InlineData("/a/", "path.empty_segment")]
    [InlineData("/a;b", "path.parameter")]
    [InlineData("/a%00", "path.control_character")]
    [InlineData("/a%1F", "path.control_character")]
    [InlineData("/a\u0001", "path.control_character")]
    [InlineData("/a?b\u0001", "path.control_character")]
    [InlineData("/a%C0%80", "path.overlong_utf8")]
    [InlineData("/a%C1%BF", "path.overlong_utf8")]
    [InlineData("/a%80", "path.invalid_utf8")]
    [InlineData("/a%F5%80%80%80", "path.invalid_utf8")]
    [InlineData("/a%F4%90%80%80", "path.invalid_utf8")]
    [InlineData("/a%E2%82", "path.invalid_utf8")]
    [InlineData("/a%25", "path.double_encoding")]
    [InlineData("/a%", "path.bad_percent")]
    [InlineData("/a%zz", "path.bad_percent")]
    [InlineData("/a b", "path.invalid_character")]
    [InlineData("/a<b>", "path.invalid_character")]
    [InlineData("/a\u00e9", "path.invalid_character")]
    [InlineData("/a?b#c", "path.invalid_character")]
    public void Parse_AmbiguousTarget_RefusedWithStableCode(string raw, string code)
    {
        var (canonical, rejection) = CanonicalPath.Parse(raw);

        Assert.Null(canonical);
        Assert.Equal(code, rejection!.Code.Code);
    }

    [Fact]
    public void Parse_TooLong_Refused()
    {
        var (_, rejection) = CanonicalPath.Parse("/" + new string('a', CanonicalPath.MaxLength));

        Assert.Equal("path.too_long", rejection!.Code.Code);
    }

    [Theory]
    [InlineData("/tickets/%34%32")]
    [InlineData("/tickets/caf%c3%a9")]
    [InlineData("/a/b%3fc")]
    public void Parse_CanonicalForm_IsAFixedPoint(string raw)
    {
        var once = CanonicalPath.Parse(raw).Path!.Value;
        var twice = CanonicalPath.Parse(once).Path!.Value;

        Assert.Equal(once, twice);
    }
}
