using Mandate.Cedar.Schema;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Validation;

namespace Mandate.Cedar.Tests.Validation;

public class ValidatorTests
{
    private const string SchemaText = """
        namespace Mandate {
          entity User, Group;
          entity Agent in [Group] = { owner: User, trust: Long, labels: Set<String>, team?: String } tags String;
          entity Tool = { risk: Long, egress: Bool };
          entity Tier enum ["gold", "silver"];
          action call appliesTo {
            principal: [Agent],
            resource: [Tool],
            context: { session: { intent: String, calls: Long }, ip: ipaddr, approval?: { granted: Bool } }
          };
          action admin appliesTo { principal: [User], resource: [Agent, Tool] };
          action legacy;
        }
        """;

    private static readonly CedarSchema Schema = SchemaParser.Parse(SchemaText).Schema!;

    private static IReadOnlyList<ValidationError> Errors(string policy, ValidationMode mode = ValidationMode.Strict)
    {
        var set = PolicyParser.ParsePolicySet(policy, "test.cedar").GetValueOrThrow();
        return Validator.Validate(Schema, set, mode).Errors;
    }

    private static string Codes(string policy, ValidationMode mode = ValidationMode.Strict) =>
        string.Join(",", Errors(policy, mode).Select(e => e.Code).Order());

    [Fact]
    public void Validate_WellTypedAgentPolicy_HasNoErrors()
    {
        const string policy = """
            permit(principal is Mandate::Agent in Mandate::Group::"ops", action == Mandate::Action::"call", resource)
            when {
              principal.trust >= 3 && resource.risk < principal.trust && !resource.egress &&
              principal.labels.contains("prod") && context.ip.isInRange(ip("10.0.0.0/8")) &&
              context.session.intent like "deploy*" &&
              (principal has team && principal.team == "platform") &&
              (context has approval && context.approval.granted) &&
              (principal.hasTag("env") && principal.getTag("env") == "prod")
            };
            """;
        Assert.Empty(Errors(policy));
        Assert.Empty(Errors(policy, ValidationMode.Permissive));
    }

    [Theory]
    [InlineData("principal.nope == 1", ValidationCodes.AttributeNotFound)]
    [InlineData("principal.team == \"x\"", ValidationCodes.UnsafeOptionalAttributeAccess)]
    [InlineData("context.approval.granted", ValidationCodes.UnsafeOptionalAttributeAccess)]
    [InlineData("principal.getTag(\"env\") == \"x\"", ValidationCodes.UnsafeTagAccess)]
    [InlineData("principal.trust == \"3\"", ValidationCodes.IncompatibleTypes)]
    [InlineData("principal.trust + \"1\" == 2", ValidationCodes.UnexpectedType)]
    [InlineData("principal.trust", ValidationCodes.UnexpectedType)]
    [InlineData("ip(\"not an ip\").isLoopback()", ValidationCodes.ExtensionArgument)]
    [InlineData("decimal(\"1.23456\").lessThan(decimal(\"1.0\"))", ValidationCodes.ExtensionArgument)]
    [InlineData("ip(context.session.intent).isLoopback()", ValidationCodes.NonLiteralExtensionConstructor)]
    [InlineData("ip(\"1.2.3.4\", \"x\").isLoopback()", ValidationCodes.WrongArity)]
    [InlineData("[].isEmpty()", ValidationCodes.EmptySetForbidden)]
    [InlineData("[1, \"a\"].contains(1)", ValidationCodes.IncompatibleTypes)]
    [InlineData("principal == Mandate::Nobody::\"x\"", ValidationCodes.UnrecognizedEntityType)]
    [InlineData("resource in Mandate::Tier::\"bronze\"", ValidationCodes.InvalidEnumEntity)]
    public void Validate_OneMistake_ReportsItsCode(string condition, string code)
    {
        var errors = Errors($"permit(principal, action == Mandate::Action::\"call\", resource) when {{ {condition} }};");
        Assert.Contains(errors, e => e.Code == code);
        Assert.All(errors, e => Assert.Equal("policy0", e.PolicyId));
    }

    [Fact]
    public void Validate_GuardInShortCircuitedBranch_IsNotChecked()
    {
        // `false && e`: e can never be evaluated, so Cedar does not typecheck it.
        Assert.Empty(Errors("permit(principal, action == Mandate::Action::\"call\", resource) when { false && principal.nope };"));
        Assert.Empty(Errors("permit(principal, action == Mandate::Action::\"call\", resource) when { if true then true else 1 };"));
    }

    [Fact]
    public void Validate_StrictOnlyRestrictions_PassInPermissiveMode()
    {
        const string policy = """
            permit(principal, action == Mandate::Action::"call", resource)
            when { ip(context.session.intent).isLoopback() && principal.trust != "3" && [].isEmpty() };
            """;
        Assert.Equal("empty-set-forbidden,incompatible-types,non-literal-extension-constructor", Codes(policy));
        Assert.Empty(Errors(policy, ValidationMode.Permissive));
    }

    [Fact]
    public void Validate_UnionOfEntityTypes_IsAnErrorOnlyInStrictMode()
    {
        const string policy = """
            permit(principal, action == Mandate::Action::"admin", resource)
            when { [resource, principal].contains(resource) };
            """;
        // One error per request environment: (User, admin, Agent) and (User, admin, Tool).
        Assert.Equal(
            ["the types Mandate::Agent and Mandate::User are not compatible", "the types Mandate::Tool and Mandate::User are not compatible"],
            Errors(policy).Select(e => e.Message).Order());
        Assert.Empty(Errors(policy, ValidationMode.Permissive));
    }

    [Fact]
    public void Validate_ScopeMatchingNoAppliesTo_IsInvalidActionApplication()
    {
        // `call` applies to Agent principals only; `legacy` has no appliesTo and applies to nothing.
        Assert.Equal("invalid-action-application",
            Codes("permit(principal is Mandate::User, action == Mandate::Action::\"call\", resource);"));
        Assert.Equal("invalid-action-application",
            Codes("permit(principal, action == Mandate::Action::\"legacy\", resource);"));
        Assert.Equal("unrecognized-action-id",
            Codes("permit(principal, action, resource) when { action == Mandate::Action::\"gone\" };"));
    }

    [Fact]
    public void Validate_ScopeExcludesSomeEnvironments_ChecksBodyOnlyWhereItCanApply()
    {
        // resource.risk exists on Tool only; the `is` scope rules out the Agent resources of `admin`.
        Assert.Empty(Errors("permit(principal, action, resource is Mandate::Tool) when { resource.risk > 2 };"));
        Assert.Equal("attribute-not-found", Codes("permit(principal, action, resource) when { resource.risk > 2 };"));
    }

    [Fact]
    public void Validate_Template_ChecksEverySlotType()
    {
        var set = PolicyParser.ParsePolicySet(
            "permit(principal == ?principal, action == Mandate::Action::\"call\", resource) when { principal.trust > 1 };").GetValueOrThrow();
        Assert.True(Validator.Validate(Schema, set).IsValid);
    }

    [Fact]
    public void Validate_Errors_CarryCedarStyleMessagesAndSpans()
    {
        var error = Assert.Single(Errors("permit(principal, action == Mandate::Action::\"call\", resource) when { principal.nope == 1 };"));
        Assert.Equal("attribute `nope` on entity type `Mandate::Agent` not found", error.Message);
        Assert.True(error.Span.IsKnown);
    }

    [Fact]
    public void ToDiagnostic_ErrorInSecondLine_PointsAtTheExpression()
    {
        const string text = "permit(principal, action == Mandate::Action::\"call\", resource)\nwhen { principal.nope == 1 };";
        var set = PolicyParser.ParsePolicySet(text, "p.cedar").GetValueOrThrow();
        var d = Validator.Validate(Schema, set).Errors.Single().ToDiagnostic(text, "p.cedar");
        Assert.Equal((2, 8), (d.Line, d.Column));
        Assert.Equal("p.cedar:2:8: error[attribute-not-found]: for policy `policy0`, attribute `nope` on entity type `Mandate::Agent` not found", d.ToString());
    }

    [Fact]
    public void Validate_PolicyThatCanNeverApply_IsValidWithAnImpossiblePolicyWarning()
    {
        // A Tool is never in a Group (memberOfTypes), so the condition is false in every environment.
        var set = PolicyParser.ParsePolicySet("""
            permit(principal, action == Mandate::Action::"call", resource) when { resource in Mandate::Group::"g" };
            permit(principal, action == Mandate::Action::"call", resource) when { principal in Mandate::Group::"g" };
            """).GetValueOrThrow();
        var result = Validator.Validate(Schema, set);
        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("policy0", ValidationCodes.ImpossiblePolicy), (warning.PolicyId, warning.Code));
    }

    [Theory]
    [InlineData("(1 + ", "1", ")", " == 2")]
    [InlineData("(principal.trust < 3 && ", "true", ")", "")]
    [InlineData("if true then ", "true", " else false", "")]
    [InlineData("!(", "true", ")", "")]
    [InlineData("context.session.calls + ", "1", "", " > 0 && principal.trust < 3")]
    [InlineData("[", "1", "]", ".isEmpty()")]
    [InlineData("{a: ", "1", "}", " == {}")]
    [InlineData("principal.trust + ", "1", "", " > 0")]
    public void Validate_DeepestExpressionTheParserAccepts_CompletesWithoutCrashing(string open, string core, string close, string tail)
    {
        string? text = null;
        for (var depth = PolicyParser.MaxExpressionDepth; depth > 0 && text is null; depth -= 10)
        {
            var candidate = "permit(principal, action == Mandate::Action::\"call\", resource) when { "
                + string.Concat(Enumerable.Repeat(open, depth)) + core + string.Concat(Enumerable.Repeat(close, depth)) + tail + " };";
            if (PolicyParser.ParsePolicySet(candidate).IsSuccess) text = candidate;
        }
        Assert.NotNull(text);
        var set = PolicyParser.ParsePolicySet(text).GetValueOrThrow();
        var result = Validator.Validate(Schema, set);
        Assert.All(result.Errors, e => Assert.Equal("policy0", e.PolicyId));
    }
}
