using Mandate.Cedar.Ast;
using Mandate.Cedar.Extensions;
using Mandate.Cedar.Json;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Entities;

public class EntityJsonTests
{
    private const string SchemaText = """
        entity Group;
        entity User in [Group] = { manager?: User, ip: ipaddr, score: decimal, tags: Set<String>, n: Long };
        entity Doc tags String;
        entity Color enum ["red", "blue"];
        action read appliesTo { principal: [User], resource: [Doc], context: { ip: ipaddr, at: datetime } };
        action all;
        action write in [all] appliesTo { principal: [User], resource: [Doc] };
        """;

    private static CedarSchema Schema => SchemaParser.Parse(SchemaText).Schema!;

    [Fact]
    public void Parse_PlainJson_ReadsEscapesAndValues()
    {
        var json = """
            [{"uid": {"__entity": {"type": "User", "id": "a"}},
              "attrs": {"boss": {"__entity": {"type": "User", "id": "b"}},
                        "ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}},
                        "when": {"__extn": {"fn": "offset", "args": [{"__extn": {"fn": "datetime", "arg": "1970-01-01"}}, {"__extn": {"fn": "duration", "arg": "1s"}}]}},
                        "big": 9223372036854775807, "small": -9223372036854775808,
                        "list": [1, 1, "x"], "rec": {"type": "User", "id": "c"}},
              "parents": [{"type": "Group", "id": "g"}],
              "tags": {"t": "v"}}]
            """;
        var result = EntityJson.Parse(json);
        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.True(result.Value!.TryGet(new EntityUid("User", "a"), out var e));
        Assert.Equal(Value.Entity("User", "b"), e.Attributes.Fields["boss"]);
        Assert.IsType<IpAddrValue>(e.Attributes.Fields["ip"]);
        Assert.Equal(DatetimeValue.FromEpochMilliseconds(1000), e.Attributes.Fields["when"]);
        Assert.Equal(Value.Long(long.MaxValue), e.Attributes.Fields["big"]);
        Assert.Equal(Value.Long(long.MinValue), e.Attributes.Fields["small"]);
        Assert.Equal(2, ((SetValue)e.Attributes.Fields["list"]).Count);
        Assert.IsType<RecordValue>(e.Attributes.Fields["rec"]); // without a schema {type,id} is a record
        Assert.True(result.Value.IsDescendantOf(new EntityUid("User", "a"), new EntityUid("Group", "g")));
        Assert.Equal(Value.String("v"), e.Tags.Fields["t"]);
    }

    [Theory]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "uid": {"type": "A", "id": "2"}}]""", CedarJsonErrorCodes.Syntax)]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}}, {"uid": {"type": "A", "id": "1"}}]""", CedarJsonErrorCodes.DuplicateEntity)]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "attrs": {"n": 9223372036854775808}}]""", CedarJsonErrorCodes.Number)]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "attrs": {"n": 1.5}}]""", CedarJsonErrorCodes.Number)]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "attrs": {"x": {"__extn": {"fn": "ip", "arg": "nope"}}}}]""", CedarJsonErrorCodes.Extension)]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "attrs": {"x": {"__extn": {"fn": "bogus", "arg": "1"}}}}]""", CedarJsonErrorCodes.Extension)]
    [InlineData("""[{"uid": {"type": "A"}}]""", CedarJsonErrorCodes.Shape)]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "color": "red"}]""", CedarJsonErrorCodes.Shape)]
    [InlineData("""{"uid": {"type": "A", "id": "1"}}""", CedarJsonErrorCodes.Shape)]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "attrs": {"x": null}}]""", CedarJsonErrorCodes.Shape)]
    [InlineData("""[{"uid": {"type": "A", "id": "1"}, "attrs": {"x": {"__expr": "1"}}}]""", CedarJsonErrorCodes.Shape)]
    public void Parse_BadJson_ReportsError(string json, string code)
    {
        var result = EntityJson.Parse(json);
        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Code == code);
    }

    [Fact]
    public void Parse_WithSchema_ReadsImplicitForms()
    {
        var json = """
            [{"uid": {"type": "User", "id": "a"},
              "attrs": {"manager": {"type": "User", "id": "b"}, "ip": "10.0.0.0/8", "score": "0.75", "tags": ["x"], "n": 3},
              "parents": [{"type": "Group", "id": "g"}]},
             {"uid": {"type": "Doc", "id": "d"}, "tags": {"owner": "a"}}]
            """;
        var result = EntityJson.Parse(json, Schema);
        Assert.True(result.Success, string.Join("; ", result.Errors));
        var store = result.Value!;
        Assert.True(store.TryGet(new EntityUid("User", "a"), out var a));
        Assert.Equal(Value.Entity("User", "b"), a.Attributes.Fields["manager"]);
        Assert.IsType<IpAddrValue>(a.Attributes.Fields["ip"]);
        Assert.Equal(DecimalValue.FromRaw(7500), a.Attributes.Fields["score"]);
        // Action entities and their groups come from the schema.
        Assert.True(store.IsDescendantOf(new EntityUid("Action", "write"), new EntityUid("Action", "all")));
        Assert.True(store.Contains(new EntityUid("Action", "read")));
    }

    [Theory]
    [InlineData("""[{"uid": {"type": "Nope", "id": "a"}}]""")]
    [InlineData("""[{"uid": {"type": "User", "id": "a"}, "attrs": {"ip": "1.2.3.4", "score": "1.0", "tags": [], "n": 1, "extra": 1}}]""")]
    [InlineData("""[{"uid": {"type": "User", "id": "a"}, "attrs": {"ip": "1.2.3.4", "score": "1.0", "tags": []}}]""")]
    [InlineData("""[{"uid": {"type": "User", "id": "a"}, "attrs": {"ip": "1.2.3.4", "score": "1.0", "tags": [], "n": "1"}}]""")]
    [InlineData("""[{"uid": {"type": "User", "id": "a"}, "attrs": {"ip": "1.2.3.4", "score": "bad", "tags": [], "n": 1}}]""")]
    [InlineData("""[{"uid": {"type": "User", "id": "a"}, "attrs": {"ip": "1.2.3.4", "score": "1.0", "tags": [], "n": 1, "manager": {"type": "Group", "id": "g"}}}]""")]
    [InlineData("""[{"uid": {"type": "User", "id": "a"}, "attrs": {"ip": "1.2.3.4", "score": "1.0", "tags": [], "n": 1}, "parents": [{"type": "Doc", "id": "d"}]}]""")]
    [InlineData("""[{"uid": {"type": "Color", "id": "green"}}]""")]
    [InlineData("""[{"uid": {"type": "Group", "id": "g"}, "tags": {"a": "b"}}]""")]
    [InlineData("""[{"uid": {"type": "Doc", "id": "d"}, "tags": {"a": 1}}]""")]
    [InlineData("""[{"uid": {"type": "Action", "id": "undeclared"}}]""")]
    public void Parse_NonConformingWithSchema_ReportsError(string json)
    {
        var result = EntityJson.Parse(json, Schema);
        Assert.False(result.Success);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void RequestJson_WithSchema_ReadsContextAgainstActionType()
    {
        var json = """
            {"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "read"},
             "resource": {"type": "Doc", "id": "d"}, "context": {"ip": "10.0.0.1", "at": "2024-01-01"}}
            """;
        var result = RequestJson.Parse(json, Schema);
        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.IsType<IpAddrValue>(result.Value!.Context.Fields["ip"]);
        Assert.IsType<DatetimeValue>(result.Value.Context.Fields["at"]);
    }

    [Theory]
    [InlineData("""{"principal": {"type": "Doc", "id": "a"}, "action": {"type": "Action", "id": "read"}, "resource": {"type": "Doc", "id": "d"}, "context": {"ip": "10.0.0.1", "at": "2024-01-01"}}""")]
    [InlineData("""{"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "nope"}, "resource": {"type": "Doc", "id": "d"}, "context": {}}""")]
    [InlineData("""{"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "read"}, "resource": {"type": "Doc", "id": "d"}, "context": {"ip": "10.0.0.1"}}""")]
    [InlineData("""{"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "read"}, "resource": {"type": "Doc", "id": "d"}, "context": {"ip": "10.0.0.1", "at": "2024-01-01", "x": 1}}""")]
    [InlineData("""{"principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "read"}, "resource": {"type": "Doc", "id": "d"}, "context": []}""")]
    [InlineData("""{"action": {"type": "Action", "id": "read"}, "resource": {"type": "Doc", "id": "d"}}""")]
    public void RequestJson_InvalidForSchema_ReportsError(string json)
    {
        var result = RequestJson.Parse(json, Schema);
        Assert.False(result.Success);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void RequestJson_WithoutSchema_ReadsAnyContext()
    {
        var result = RequestJson.Parse("""{"principal": {"type": "U", "id": "a"}, "action": {"__entity": {"type": "Action", "id": "x"}}, "resource": {"type": "R", "id": "r"}}""");
        Assert.True(result.Success);
        Assert.Equal(new Request(new EntityUid("U", "a"), new EntityUid("Action", "x"), new EntityUid("R", "r")).ToString(), result.Value!.ToString());
    }

    [Fact]
    public void Parse_HostileNesting_ReportsErrorWithoutCrashing()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);
        var result = EntityJson.Parse("[{\"uid\": {\"type\": \"A\", \"id\": \"1\"}, \"attrs\": {\"x\": " + deep + "}}]");
        Assert.False(result.Success);
        Assert.Contains(result.Errors, e => e.Code == CedarJsonErrorCodes.Syntax);
    }

    [Fact]
    public void RequestJson_DuplicateContextKey_Rejected()
    {
        var result = RequestJson.Parse("{\"principal\": {\"type\": \"U\", \"id\": \"a\"}, \"action\": {\"type\": \"Action\", \"id\": \"x\"}, \"resource\": {\"type\": \"R\", \"id\": \"r\"}, \"context\": {\"a\": 1, \"a\": 2}}");
        Assert.False(result.Success);
        Assert.Equal(CedarJsonErrorCodes.Syntax, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Write_EntitiesThenParse_RoundTrips()
    {
        var json = """
            [{"uid": {"type": "User", "id": "a"},
              "attrs": {"boss": {"__entity": {"type": "User", "id": "b"}}, "ip": {"__extn": {"fn": "ip", "arg": "::1"}}, "n": [1, {"x": "y"}]},
              "parents": [{"type": "Group", "id": "g"}], "tags": {"t": 1}},
             {"uid": {"type": "Group", "id": "g"}}]
            """;
        var first = EntityJson.ParseEntities(json);
        Assert.True(first.Success);
        var again = EntityJson.ParseEntities(EntityJson.ToJson(first.Value!));
        Assert.True(again.Success, string.Join("; ", again.Errors));
        Assert.Equal(first.Value!.Count, again.Value!.Count);
        foreach (var (a, b) in first.Value.Zip(again.Value))
        {
            Assert.Equal(a.Uid, b.Uid);
            Assert.Equal(a.Attributes, b.Attributes);
            Assert.Equal(a.Parents, b.Parents);
            Assert.Equal(a.Tags, b.Tags);
        }
    }

    [Fact]
    public void ValueJson_WriteThenParse_RoundTrips()
    {
        Value v = Value.Record([
            new("e", Value.Entity("User", "a")),
            new("s", Value.Set(Value.Long(long.MaxValue), Value.String("x"))),
            new("ip", IpAddrValue.Parse("10.0.0.0/8", out _)!),
            new("d", DecimalValue.Parse("-1.25", out _)!),
            new("t", DatetimeValue.Parse("2024-01-01T10:00:00.500+0100", out _)!),
            new("u", DurationValue.Parse("-1h", out _)!),
        ]);
        var json = ValueJson.ToJson(v);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var back = ValueJson.Parse(doc.RootElement);
        Assert.True(back.Success, string.Join("; ", back.Errors));
        Assert.Equal(v, back.Value);
    }
}
