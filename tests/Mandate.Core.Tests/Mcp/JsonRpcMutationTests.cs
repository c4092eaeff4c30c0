using System.Text;
using Mandate.Core.Mcp;

namespace Mandate.Core.Tests.Mcp;

/// <summary>
/// Seeded random mutations of valid bodies: the parser and the classifier answer every one with a value (never an
/// exception), and whatever they accept re-reads the same from its own raw bytes.
/// </summary>
public sealed class JsonRpcMutationTests
{
    private static readonly string[] Seeds =
    [
        """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"/tmp/a","n":[1,2,{"k":"v"}]}}}""",
        """[{"jsonrpc":"2.0","id":"a","method":"resources/read","params":{"uri":"file:///x"}},{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":1}}]""",
        """{"jsonrpc":"2.0","id":"s-1","error":{"code":-1,"message":"no","data":{"x":null}}}""",
        """{"jsonrpc":"2.0","id":9,"method":"completion/complete","params":{"ref":{"type":"ref/prompt","name":"p"},"argument":{"name":"a","value":"\u00e9\ud83d\ude00"}}}""",
    ];

    private static readonly byte[] Interesting = "{}[]\",:\\u0aA \t\n0-.eE/"u8.ToArray().Concat(new byte[] { 0x00, 0x7f, 0x80, 0xC0, 0xE2, 0xF0, 0xFF }).ToArray();

    [Fact]
    public void Parse_RandomMutations_NeverThrowAndAcceptedMessagesRoundTrip()
    {
        var random = new Random(20261129);
        var accepted = 0;
        for (var i = 0; i < 6000; i++)
        {
            var body = Mutate(Encoding.UTF8.GetBytes(Seeds[i % Seeds.Length]), random);

            var result = JsonRpcParser.Parse(body, JsonRpcLimits.Default, allowBatch: i % 2 == 0);

            if (result.Error is not null)
            {
                Assert.Empty(result.Messages); // a refused body lists no messages
            }
            else
            {
                Assert.NotEmpty(result.Messages);
            }
            foreach (var message in result.Messages)
            {
                var classification = McpCallClassifier.Classify(message, "srv");
                Assert.True(classification.Kind != McpCallKind.Refused || classification.Error is not null);
                Assert.True(classification.Kind != McpCallKind.Decide || classification.Action is not null && classification.Resource is not null);
                if (message.Kind == JsonRpcMessageKind.Invalid)
                {
                    Assert.NotNull(message.Error);
                    continue;
                }
                accepted++;
                var again = JsonRpcParser.Parse(message.Raw.Span, JsonRpcLimits.Default, allowBatch: false);
                var same = Assert.Single(again.Messages);
                Assert.Equal(message.Kind, same.Kind);
                Assert.Equal(message.Method, same.Method);
                Assert.Equal(message.Id, same.Id);
            }
            if (result.Error is null && !result.AllValid)
            {
                Assert.NotNull(JsonRpcResponseBody.ForInvalid(result));
            }
        }
        Assert.True(accepted > 100, $"only {accepted} mutated messages were accepted; the mutations are too destructive to test round trips");
    }

    private static byte[] Mutate(byte[] body, Random random)
    {
        var bytes = body.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 1:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                default:
                    // Duplicate a slice: repeats members, ids and brackets.
                    var length = Math.Min(random.Next(1, 24), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }
        return bytes.ToArray();
    }
}
