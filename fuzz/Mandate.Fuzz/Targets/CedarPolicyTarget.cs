using System.Text;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Authorization;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Formatting;
using Mandate.Cedar.Json;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Values;

namespace Mandate.Fuzz.Targets;

/// <summary>
/// The Cedar policy parser (<see cref="PolicyParser"/>), and what a parsed set goes through next: the formatter,
/// policy JSON, and one authorization. The input is a <c>.cedar</c> file (UTF-8, read as the loader reads it).
/// </summary>
/// <remarks>
/// Expected failure: diagnostics with a line and column inside the text. Findings: any exception; a parsed set
/// whose formatted text does not parse back to equal policies; policy JSON that does not read back equal.
/// </remarks>
public sealed class CedarPolicyTarget : FuzzTarget
{
    private static readonly Request Request = new(
        new EntityUid("Mandate::Agent", "fuzz"),
        new EntityUid("Mandate::Action", "tickets.read"),
        new EntityUid("Mandate::Ticket", "42"),
        Value.Record([
            new("n", Value.Long(7)),
            new("s", Value.String("text")),
            new("b", Value.True),
            new("set", Value.Set([Value.Long(1), Value.String("a")])),
        ]));

    /// <inheritdoc />
    public override string Name => "cedar-policy";

    /// <inheritdoc />
    public override string Description => "Cedar text → policy set → format / JSON round trips → one authorization; findings: exceptions, round trips that differ";

    /// <inheritdoc />
    public override void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        var result = PolicyParser.ParsePolicySet([("fuzz.cedar", text)], PolicyIdMode.AnnotationOrPositional);
        if (!result.IsSuccess)
        {
            Check(!result.Diagnostics.IsEmpty, "a refused text has diagnostics");
            // Cedar's diagnostics count a lone \r as a line break too.
            var lines = text.Count(c => c == '\n') + text.Replace("\r\n", "\n", StringComparison.Ordinal).Count(c => c == '\r') + 1;
            Check(result.Diagnostics.All(d => d.Line >= 1 && d.Line <= lines && d.Column >= 1), "every diagnostic points into the text");
            return;
        }

        var set = result.Value!;
        var formatted = PolicyFormatter.Format(set);
        var back = PolicyParser.ParsePolicySet([("formatted.cedar", formatted)], PolicyIdMode.AnnotationOrPositional);
        Check(back.IsSuccess, "formatted text parses");
        Check(back.Value!.Policies.SequenceEqual(set.Policies) && back.Value.Templates.SequenceEqual(set.Templates), "formatted text parses back to the same policies");

        foreach (var policy in set.Policies.Concat(set.Templates))
        {
            var json = PolicyJson.FromJson(PolicyJson.ToJson(policy), policy.Id);
            Check(json.IsSuccess && json.Value! == policy with { Span = default }, "policy json reads back the same policy");
        }

        var response = new Authorizer(set).IsAuthorized(Request, EntityStore.Empty);
        Check(response.Decision is Decision.Allow or Decision.Deny, "a decision is allow or deny");
    }
}
