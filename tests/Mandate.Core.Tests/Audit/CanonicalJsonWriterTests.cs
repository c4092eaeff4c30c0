using System.Text;
using Mandate.Core.Audit;

namespace Mandate.Core.Tests.Audit;

public sealed class CanonicalJsonWriterTests
{
    [Fact]
    public void ToUtf8_NestedObjects_SortsKeysOrdinallyWithoutWhitespace()
    {
        var inner = CanonicalJsonWriter.NewObject();
        inner["b"] = "2";
        inner["B"] = "1";
        var o = CanonicalJsonWriter.NewObject();
        o["zeta"] = 1L;
        o["alpha"] = inner;
        o["list"] = new[] { "y", "x" };
        o["flag"] = true;

        var json = Encoding.UTF8.GetString(CanonicalJsonWriter.ToUtf8(o));

        Assert.Equal("{\"alpha\":{\"B\":\"1\",\"b\":\"2\"},\"flag\":true,\"list\":[\"y\",\"x\"],\"zeta\":1}", json);
    }

    [Fact]
    public void ToUtf8_NullMembers_AreLeftOut()
    {
        var o = CanonicalJsonWriter.NewObject();
        o["a"] = null;
        o["b"] = "x";

        Assert.Equal("{\"b\":\"x\"}", Encoding.UTF8.GetString(CanonicalJsonWriter.ToUtf8(o)));
    }

    [Fact]
    public void ToUtf8_NonAsciiAndControlCharacters_RawUtf8AndEscapedControls()
    {
        var o = CanonicalJsonWriter.NewObject();
        o["s"] = "héllo \"q\"\n";

        var bytes = CanonicalJsonWriter.ToUtf8(o);

        Assert.Equal("{\"s\":\"héllo \\\"q\\\"\\n\"}", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void ToUtf8_UnsupportedValue_Throws()
    {
        var o = CanonicalJsonWriter.NewObject();
        o["d"] = 1.5;

        Assert.Throws<ArgumentException>(() => CanonicalJsonWriter.ToUtf8(o));
    }
}
