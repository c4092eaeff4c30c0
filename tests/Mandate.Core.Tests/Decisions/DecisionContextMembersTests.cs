using System.Text.Json;
using Mandate.Core.Decisions;

namespace Mandate.Core.Tests.Decisions;

/// <summary>The optional context members (session, args, extra) as Cedar policies see them.</summary>
public sealed class DecisionContextMembersTests
{
    private static IDecisionPoint Compile(string policies)
    {
        var compilation = new CedarPolicyCompiler().Compile(new PolicyInputs("", [new PolicySource("p.cedar", policies)], null, null, []));
        Assert.True(compilation.DecisionPoint is not null, string.Join("; ", compilation.Problems.Select(p => p.ToString())));
        return compilation.DecisionPoint!;
    }

    private static DecisionRequest Request(DecisionContext context) =>
        new("d1",
            new CallerIdentity("agent-1", "oidc", "https://issuer", null, [], [], null, null),
            new EntityRef("Action", "call"),
            new ResourceDescriptor(new EntityRef("Tool", "files/read"), [], new Dictionary<string, JsonElement>()),
            context);

    private static DecisionContext Base() =>
        new(new RequestFacts("POST", "/mcp", "127.0.0.1", "localhost"), new TokenFacts([], "oidc", 60), new DelegationFacts("", [], 0), DateTimeOffset.UnixEpoch);

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void Decide_ArgsWithinLimit_Allows()
    {
        var point = Compile("permit(principal, action, resource) when { context.args.amount < 100 && context.args.to == \"acme\" };");

        Assert.True(point.Decide(Request(Base() with { Args = Json("""{"amount": 99, "to": "acme"}""") })).IsAllowed);
        Assert.False(point.Decide(Request(Base() with { Args = Json("""{"amount": 100, "to": "acme"}""") })).IsAllowed);
    }

    [Fact]
    public void Decide_ArgsWithEntityEscape_ReadLiterallyNotAsEntity()
    {
        var point = Compile("permit(principal, action, resource) when { context.args.owner[\"__entity\"][\"id\"] == \"admin\" };");
        var forged = Json("""{"owner": {"__entity": {"type": "User", "id": "admin"}}}""");

        Assert.True(point.Decide(Request(Base() with { Args = forged })).IsAllowed);
        var asEntity = Compile("permit(principal, action, resource) when { context.args.owner == User::\"admin\" };");
        Assert.False(asEntity.Decide(Request(Base() with { Args = forged })).IsAllowed);
    }

    [Fact]
    public void Decide_ArgsFractionAndNull_BecomeStringAndAbsent()
    {
        var point = Compile("permit(principal, action, resource) when { context.args.rate == \"0.25\" && !(context.args has note) };");

        Assert.True(point.Decide(Request(Base() with { Args = Json("""{"rate": 0.25, "note": null}""") })).IsAllowed);
    }

    [Fact]
    public void Decide_NoArgs_PermitReadingArgsErrorsAndDenies()
    {
        var point = Compile("permit(principal, action, resource) when { context.args.amount < 100 };");

        var decision = point.Decide(Request(Base()));

        Assert.False(decision.IsAllowed);
        Assert.NotEmpty(decision.Errors);
    }

    [Fact]
    public void Decide_Session_ExposesTaskFacts()
    {
        var point = Compile("""
            permit(principal, action, resource) when {
              context.session.in_task && context.session.allowed_tools.contains("files/read") &&
              context.session.intent like "*invoice*" && context.session.depth == 1 &&
              context.session.started < context.session.expires
            };
            """);
        var session = new SessionFacts("s1", "summarise invoice 7", ["files/read"], ["files"], true, 1, "s0",
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(5));

        Assert.True(point.Decide(Request(Base() with { Session = session })).IsAllowed);
        Assert.False(point.Decide(Request(Base() with { Session = session with { InTask = false } })).IsAllowed);
    }

    [Fact]
    public void Decide_ExtraMember_ReadWithEscapes()
    {
        var point = Compile("permit(principal, action, resource) when { context.exchange.user == User::\"alice\" && context.exchange.ttl_seconds <= 300 };");
        var extra = new Dictionary<string, JsonElement> { ["exchange"] = Json("""{"user": {"__entity": {"type": "User", "id": "alice"}}, "ttl_seconds": 300}""") };

        Assert.True(point.Decide(Request(Base() with { Extra = extra })).IsAllowed);
    }

    [Fact]
    public void Decide_ExtraMemberCollidesWithBuiltIn_Throws()
    {
        var point = Compile("permit(principal, action, resource);");
        var extra = new Dictionary<string, JsonElement> { ["token"] = Json("{}") };

        Assert.Throws<InvalidOperationException>(() => point.Decide(Request(Base() with { Extra = extra })));
    }

    [Fact]
    public void CouldAllow_ArgsUnknown_PermitOnArgsPossibleKnownForbidNot()
    {
        var point = Compile("""
            permit(principal, action, resource == Tool::"files/read") when { context.args.amount < 100 };
            forbid(principal, action, resource == Tool::"files/delete") when { context.request.method == "POST" };
            permit(principal, action, resource == Tool::"files/delete");
            """);
        var read = Request(Base() with { Args = Json("""{"amount": 5000}""") });
        var delete = read with { Resource = new ResourceDescriptor(new EntityRef("Tool", "files/delete"), [], new Dictionary<string, JsonElement>()) };

        Assert.False(point.Decide(read).IsAllowed);
        Assert.True(point.CouldAllow(read));
        Assert.False(point.CouldAllow(delete));
    }
}
