using Mandate.Cedar.Ast;
using Mandate.Cedar.Schema;

namespace Mandate.Cedar.Tests.Schema;

public class SchemaParserTests
{
    private const string Human = """
        // Mandate's vocabulary, trimmed
        type Common = { note?: String };
        namespace Mandate {
          type Session = { id: String, "labels seen": Set<String>, extra: Common };
          @doc("an agent")
          entity Agent in [Group] = { owner: User, trust: Long, ip?: ipaddr } tags String;
          entity User, Group;
          entity Tier enum ["gold", "silver"];
          action read, "write" appliesTo { principal: [Agent, User], resource: Agent, context: { session: Session } };
          action admin in [read] appliesTo { principal: Agent, resource: [Agent] };
          action group;
        }
        """;

    [Fact]
    public void ParseHuman_FullVocabulary_ResolvesNamesTypesAndHierarchy()
    {
        var result = SchemaParser.Parse(Human, "mandate.cedarschema");
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var schema = result.Schema!;

        var agent = schema.FindEntityType("Mandate::Agent")!;
        Assert.Equal(new ValueList<string>(["Mandate::Group"]), agent.MemberOfTypes);
        Assert.Equal(new EntityType("Mandate::User"), agent.Shape.Find("owner")!.Type);
        Assert.Equal(LongType.Instance, agent.Shape.Find("trust")!.Type);
        Assert.False(agent.Shape.Find("ip")!.Required);
        Assert.Equal(ExtensionTypes.IpAddr, agent.Shape.Find("ip")!.Type);
        Assert.Equal(StringType.Instance, agent.Tags);
        Assert.Equal("an agent", agent.Annotations.Single().Value);
        Assert.Equal(new ValueList<string>(["gold", "silver"]), schema.FindEntityType("Mandate::Tier")!.EnumValues);

        var write = schema.FindAction(new EntityUid("Mandate::Action", "write"))!;
        Assert.Equal(new ValueList<string>(["Mandate::Agent", "Mandate::User"]), write.AppliesTo.PrincipalTypes);
        var session = Assert.IsType<RecordType>(write.AppliesTo.Context.Find("session")!.Type);
        Assert.Equal(new SetType(StringType.Instance), session.Find("labels seen")!.Type);
        // `Common` is declared in the empty namespace and found from inside `Mandate`.
        Assert.Equal(new RecordType([new RecordAttribute("note", StringType.Instance, Required: false)]), session.Find("extra")!.Type);

        var admin = new EntityUid("Mandate::Action", "admin");
        Assert.Contains(new EntityUid("Mandate::Action", "read"), (IReadOnlySet<EntityUid>)schema.ActionAncestors(admin));
        Assert.Contains(admin, (IReadOnlySet<EntityUid>)schema.ActionDescendants(new EntityUid("Mandate::Action", "read")));
        Assert.Empty(schema.FindAction(new EntityUid("Mandate::Action", "group"))!.AppliesTo.PrincipalTypes);
        Assert.True(schema.CanBeIn("Mandate::Agent", "Mandate::Group"));
        Assert.False(schema.CanBeIn("Mandate::Group", "Mandate::Agent"));
        Assert.True(schema.IsActionEntityType("Mandate::Action"));
    }

    [Fact]
    public void ParseJson_SameVocabulary_EqualsHumanSchema()
    {
        const string json = """
            {
              "": { "entityTypes": {}, "actions": {}, "commonTypes": {
                "Common": { "type": "Record", "attributes": { "note": { "type": "String", "required": false } } } } },
              "Mandate": {
                "commonTypes": {
                  "Session": { "type": "Record", "attributes": {
                    "id": { "type": "String" },
                    "labels seen": { "type": "Set", "element": { "type": "EntityOrCommon", "name": "String" } },
                    "extra": { "type": "Common" } } }
                },
                "entityTypes": {
                  "Agent": { "memberOfTypes": ["Group"], "annotations": { "doc": "an agent" },
                    "shape": { "type": "Record", "attributes": {
                      "owner": { "type": "Entity", "name": "User" },
                      "trust": { "type": "Long" },
                      "ip": { "type": "Extension", "name": "ipaddr", "required": false } } },
                    "tags": { "type": "String" } },
                  "User": {}, "Group": {},
                  "Tier": { "enum": ["gold", "silver"] }
                },
                "actions": {
                  "read": { "appliesTo": { "principalTypes": ["Agent", "User"], "resourceTypes": ["Agent"],
                    "context": { "type": "Record", "attributes": { "session": { "type": "Session" } } } } },
                  "write": { "appliesTo": { "principalTypes": ["Agent", "User"], "resourceTypes": ["Agent"],
                    "context": { "type": "Record", "attributes": { "session": { "type": "EntityOrCommon", "name": "Session" } } } } },
                  "admin": { "memberOf": [{ "id": "read" }], "appliesTo": { "principalTypes": ["Agent"], "resourceTypes": ["Agent"] } },
                  "group": {}
                }
              }
            }
            """;
        var fromJson = SchemaParser.Parse(json, "mandate.cedarschema.json");
        Assert.True(fromJson.Success, string.Join("\n", fromJson.Diagnostics));
        var fromHuman = SchemaParser.Parse(Human).Schema!;
        Assert.Null(CedarSchema.Difference(fromHuman, fromJson.Schema!));
        Assert.Equal(fromHuman, fromJson.Schema);
    }

    [Fact]
    public void ParseHuman_SyntaxError_ReportsLineAndColumn()
    {
        var result = SchemaParser.Parse("entity User;\nentity Agent = { owner User };", "bad.cedarschema");
        Assert.False(result.Success);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(SchemaErrorCodes.Syntax, d.Code);
        Assert.Equal((2, 24), (d.Line, d.Column));
        Assert.Equal("bad.cedarschema", d.FileName);
        Assert.Contains("expected `:`", d.Message);
    }

    [Fact]
    public void ParseHuman_UnknownNames_ReportsEveryOne()
    {
        var result = SchemaParser.Parse("""
            entity User in [Team] = { a: Nope };
            action read in [missing] appliesTo { principal: [Ghost], resource: User };
            """);
        Assert.False(result.Success);
        Assert.Equal(4, result.Diagnostics.Count);
        Assert.Contains(result.Diagnostics, d => d.Code == SchemaErrorCodes.UnknownEntityType && d.Message.Contains("`Team`"));
        Assert.Contains(result.Diagnostics, d => d.Code == SchemaErrorCodes.UnknownType && d.Message.Contains("`Nope`"));
        Assert.Contains(result.Diagnostics, d => d.Code == SchemaErrorCodes.UnknownAction && d.Message.Contains("missing"));
        Assert.Contains(result.Diagnostics, d => d.Code == SchemaErrorCodes.UnknownEntityType && d.Message.Contains("`Ghost`"));
    }

    [Fact]
    public void ParseHuman_CommonTypeCycle_IsAnError()
    {
        var result = SchemaParser.Parse("type A = { b: B }; type B = Set<A>; entity E = { a: A };");
        Assert.False(result.Success);
        Assert.Contains(result.Diagnostics, d => d.Code == SchemaErrorCodes.Cycle);
    }

    [Fact]
    public void ParseHuman_EntityTypeShadowsBuiltinName_ResolvesToEntity()
    {
        // Unqualified names prefer declared types over built-ins; `__cedar::` always means the built-in.
        var schema = SchemaParser.Parse("entity Long; entity E = { a: Long, b: __cedar::Long };").Schema!;
        var e = schema.FindEntityType("E")!;
        Assert.Equal(new EntityType("Long"), e.Shape.Find("a")!.Type);
        Assert.Equal(LongType.Instance, e.Shape.Find("b")!.Type);
    }

    [Fact]
    public void ParseJson_DuplicateProperty_IsRejected()
    {
        var result = SchemaParser.Parse("""{"": {"entityTypes": {}, "entityTypes": {}, "actions": {}}}""");
        Assert.False(result.Success);
        Assert.Equal(SchemaErrorCodes.Syntax, result.Diagnostics[0].Code);
    }

    [Fact]
    public void ParseHuman_ActionHierarchyCycle_IsAnError()
    {
        var result = SchemaParser.Parse("action a in [b]; action b in [c]; action c in [a]; action d in [a];");
        Assert.False(result.Success);
        Assert.Contains(result.Diagnostics, d => d.Code == SchemaErrorCodes.Cycle && d.Message.Contains("action hierarchy"));
    }

    [Fact]
    public void ParseHuman_LongCommonTypeChain_IsRejectedWithoutCrashing()
    {
        var text = string.Concat(Enumerable.Range(0, 50_000).Select(i => $"type T{i} = T{i + 1};\n")) + "type T50000 = Long; entity E = { a: T0 };";
        var result = SchemaParser.Parse(text);
        Assert.False(result.Success);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("nested more than"));
    }

    [Fact]
    public void ParseHuman_TypeDoublingAtEveryLevel_IsRejectedAsTooLarge()
    {
        // T0 has 2^40 leaves once expanded; the shared definitions are tiny.
        var text = string.Concat(Enumerable.Range(0, 40).Select(i => $"type T{i} = {{ a: T{i + 1}, b: T{i + 1} }};\n")) + "type T40 = Long; entity E = { x: T0 };";
        var result = SchemaParser.Parse(text);
        Assert.False(result.Success);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("too large"));
    }

    [Fact]
    public void ParseHuman_DeeplyNestedSet_IsRejectedWithoutCrashing()
    {
        var text = "entity E = { a: " + string.Concat(Enumerable.Repeat("Set<", 100_000)) + "Long" + new string('>', 100_000) + " };";
        var result = SchemaParser.Parse(text);
        Assert.False(result.Success);
        Assert.Equal(SchemaErrorCodes.Syntax, result.Diagnostics[0].Code);
    }

    [Fact]
    public void Format_VocabularySchema_ReparsesToTheSameModel()
    {
        var schema = SchemaParser.Parse(Human).Schema!;
        var text = SchemaFormatter.ToCedarSchema(schema);
        Assert.Contains("namespace Mandate {", text);
        Assert.Contains("entity Agent in [Mandate::Group] {", text);
        Assert.Contains("\"labels seen\": Set<String>", text);
        Assert.Equal(schema, SchemaParser.Parse(text).Schema);
        Assert.Equal(schema, SchemaParser.Parse(SchemaFormatter.ToJson(schema)).Schema);
    }
}
