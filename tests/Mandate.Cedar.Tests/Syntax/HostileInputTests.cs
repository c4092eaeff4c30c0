using System.Diagnostics;
using System.Text;
using Mandate.Cedar.Diagnostics;
using Mandate.Cedar.Formatting;
using Mandate.Cedar.Json;
using Mandate.Cedar.Syntax;

namespace Mandate.Cedar.Tests.Syntax;

/// <summary>Input written to hurt: it must end in a clear diagnostic, quickly, never a crash.</summary>
public sealed class HostileInputTests
{
    private const int Huge = 100_000;

    private static string InWhen(string expr) => $"permit(principal, action, resource) when {{ {expr} }};";

    private static CedarDiagnostic SingleFailure(string text)
    {
        var sw = Stopwatch.StartNew();
        var result = PolicyParser.ParsePolicySet(text);
        sw.Stop();
        Assert.False(result.IsSuccess);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), $"took {sw.Elapsed}"); // a complexity guard (runaway parsing), not a speed test
        return result.Diagnostics[0];
    }

    public static TheoryData<string, string> DeeplyNested => new()
    {
        { "parentheses", new string('(', Huge) + "true" + new string(')', Huge) },
        { "sets", new string('[', Huge) + new string(']', Huge) },
        { "records", string.Concat(Enumerable.Repeat("{a:", Huge)) + "1" + new string('}', Huge) },
        { "if", string.Concat(Enumerable.Repeat("if true then ", Huge)) + "1" + string.Concat(Enumerable.Repeat(" else 2", Huge)) },
        { "calls", string.Concat(Enumerable.Repeat("ip(", Huge)) + "\"a\"" + new string(')', Huge) },
        { "negation in parentheses", string.Concat(Enumerable.Repeat("!(", Huge)) + "true" + new string(')', Huge) },
        { "attribute chain", "context" + string.Concat(Enumerable.Repeat(".a", Huge)) },
        { "method chain", "context" + string.Concat(Enumerable.Repeat(".isEmpty()", Huge)) },
        { "addition chain", "1" + string.Concat(Enumerable.Repeat(" + 1", Huge)) + " == 2" },
        { "and chain", "true" + string.Concat(Enumerable.Repeat(" && true", Huge)) },
        { "nested has", "context has a" + string.Concat(Enumerable.Repeat(".a", Huge)) },
    };

    [Theory]
    [MemberData(nameof(DeeplyNested))]
    public void ParsePolicySet_DeepNesting_ReportsNestingTooDeep(string name, string expr)
    {
        var d = SingleFailure(InWhen(expr));
        Assert.True(d.Code == DiagnosticCodes.NestingTooDeep, $"{name}: {d}");
    }

    [Fact]
    public void ParsePolicySet_HundredThousandBangs_ReportsTooManyUnary()
    {
        Assert.Equal(DiagnosticCodes.TooManyUnary, SingleFailure(InWhen(new string('!', Huge) + "true")).Code);
        Assert.Equal(DiagnosticCodes.TooManyUnary, SingleFailure(InWhen(new string('-', Huge) + "1")).Code);
    }

    [Fact]
    public void ParsePolicySet_HugeIntegerLiteral_ReportsOverflowWithClippedMessage()
    {
        var d = SingleFailure(InWhen(new string('9', Huge) + " == 1"));
        Assert.Equal(DiagnosticCodes.IntegerOverflow, d.Code);
        Assert.True(d.Message.Length < 200, d.Message);
    }

    [Fact]
    public void ParsePolicySet_TenMegabytesOfPolicies_ParsesInBoundedTime()
    {
        const string one = """
            @id("p") permit (principal == User::"alice", action in [Action::"read", Action::"write"], resource in Folder::"root")
            when { context.ip.isInRange(ip("10.0.0.0/8")) && resource.owner == principal && context.tags.containsAny(["a", "b"]) }
            unless { principal has suspended && principal.suspended };

            """;
        var sb = new StringBuilder();
        while (sb.Length < 10_000_000) sb.Append(one);
        var count = sb.Length / one.Length;
        var sw = Stopwatch.StartNew();
        var result = PolicyParser.ParsePolicySet(sb.ToString());
        sw.Stop();
        Assert.True(result.IsSuccess);
        Assert.Equal(count, result.Value.Policies.Length);
        // A guard against super-linear parsing (which would take minutes), not a speed target: it takes a few
        // seconds on a quiet 2-core machine and took 31 s with the machine at load 25.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(90), $"10 MB took {sw.Elapsed}");
    }

    [Fact]
    public void ParsePolicySet_TenMegabyteString_Parses()
    {
        var big = new string('x', 10_000_000);
        var result = PolicyParser.ParsePolicySet(InWhen($"context.s == \"{big}\\n\""));
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public void ParsePolicySet_MaximumAllowedDepth_FormatsAndRoundTrips()
    {
        // 900 conjuncts: a tall tree that is still within the limit must print and re-parse.
        var text = InWhen("true" + string.Concat(Enumerable.Repeat(" && context.a < 1", 900)));
        var policy = Assert.Single(PolicyParser.ParsePolicySet(text).GetValueOrThrow().Policies);
        var printed = PolicyFormatter.Format(policy);
        Assert.Equal(policy, PolicyParser.ParsePolicy(printed, policy.Id).GetValueOrThrow());
        Assert.Equal(policy, PolicyJson.FromJson(PolicyJson.ToJson(policy), policy.Id).GetValueOrThrow());
    }

    [Fact]
    public void ParsePolicySet_ControlCharactersAndInvalidUnicode_ReportsInvalidCharacter()
    {
        var d = SingleFailure("permit(principal, action, resource) when { \u0001 \ud800 \u00e9 };");
        Assert.Equal(DiagnosticCodes.InvalidCharacter, d.Code);
        Assert.Equal("unexpected character `\\u{1}`", d.Message);
    }

    [Fact]
    public void ParsePolicySet_RandomTokenSoup_NeverThrows()
    {
        string[] pieces =
        [
            "permit", "forbid", "(", ")", "{", "}", "[", "]", ",", ";", ":", "::", ".", "@", "?principal", "?foo", "==", "!=", "<", "<=",
            "&&", "||", "+", "-", "*", "!", "principal", "action", "resource", "context", "when", "unless", "if", "then", "else", "in", "has",
            "like", "is", "true", "1", "9223372036854775808", "\"s\"", "\"\\u{zz}\"", "\"", "User", "ip", "contains", "isEmpty", "&", "=", "/", "\n",
        ];
        var random = new Random(12345);
        for (var i = 0; i < 3000; i++)
        {
            var sb = new StringBuilder();
            var n = random.Next(1, 60);
            for (var j = 0; j < n; j++) sb.Append(pieces[random.Next(pieces.Length)]).Append(random.Next(3) == 0 ? "" : " ");
            var text = sb.ToString();
            var result = PolicyParser.ParsePolicySet(text);
            Assert.True(result.IsSuccess || !result.Diagnostics.IsEmpty, text);
            if (result.IsSuccess)
            {
                foreach (var p in result.Value.Policies.Concat(result.Value.Templates))
                {
                    Assert.Equal(p, PolicyParser.ParsePolicy(PolicyFormatter.Format(p), p.Id).GetValueOrThrow());
                }
            }
        }
    }

    [Fact]
    public void FromJson_DeeplyNestedJson_ReportsError()
    {
        var json = string.Concat(Enumerable.Repeat("{\"!\": {\"arg\": ", Huge)) + "{\"Value\": true}" + new string('}', 2 * Huge);
        var result = PolicyJson.ExprFromJson(json);
        Assert.False(result.IsSuccess);
        Assert.Equal(PolicyJson.InvalidPolicyJson, result.Diagnostics[0].Code);
    }

    [Fact]
    public void ParsePolicySet_SmallThreadStack_ReportsInsteadOfCrashing()
    {
        // Within the nesting limit, but on a thread with a tiny stack: the parser must notice
        // the stack running out and report it, never overflow.
        var text = InWhen(new string('(', 195) + "true" + new string(')', 195)) + "\npermit(principal, action, resource);";
        ParseResult<Mandate.Cedar.Ast.PolicySet>? result = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = PolicyParser.ParsePolicySet(text); }
            catch (Exception ex) { failure = ex; }
        }, maxStackSize: 160 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
        Assert.NotNull(result);
        if (!result.IsSuccess) Assert.Equal(DiagnosticCodes.NestingTooDeep, Assert.Single(result.Diagnostics).Code);
        else Assert.Equal(2, result.Value.Policies.Length);
    }
}
