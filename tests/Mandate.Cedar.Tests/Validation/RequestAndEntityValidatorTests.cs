using Mandate.Cedar.Ast;
using Mandate.Cedar.Entities;
using Mandate.Cedar.Extensions;
using Mandate.Cedar.Requests;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Validation;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Validation;

public class RequestAndEntityValidatorTests
{
    private static readonly CedarSchema Schema = SchemaParser.Parse("""
        entity Group;
        entity Agent in [Group] = { trust: Long, ip?: ipaddr } tags Long;
        entity Tool;
        action group;
        action call in [group] appliesTo { principal: Agent, resource: Tool, context: { risk: Long } };
        """).Schema!;

    private static readonly EntityUid Call = new("Action", "call");
    private static readonly EntityUid Agent = new("Agent", "a1");
    private static readonly EntityUid Tool = new("Tool", "t1");

    private static RecordValue Record(params (string Key, Value Value)[] fields) =>
        Value.Record(fields.Select(f => new KeyValuePair<string, Value>(f.Key, f.Value)));

    [Fact]
    public void Validate_ConformingRequest_HasNoErrors()
    {
        Assert.Empty(RequestValidator.Validate(Schema, new Request(Agent, Call, Tool, Record(("risk", Value.Long(2))))));
    }

    [Fact]
    public void Validate_RequestWithWrongTypesAndContext_ReportsEach()
    {
        var errors = RequestValidator.Validate(Schema, new Request(Tool, Call, Agent, Record(("risk", Value.String("high")))));
        Assert.Equal(
            [ConformanceCodes.InvalidContext, ConformanceCodes.InvalidRequestEntityType, ConformanceCodes.InvalidRequestEntityType],
            errors.Select(e => e.Code).Order());
        Assert.Equal(ConformanceCodes.UndeclaredAction,
            Assert.Single(RequestValidator.Validate(Schema, new Request(Agent, new EntityUid("Action", "nope"), Tool))).Code);
        Assert.Contains(RequestValidator.Validate(Schema, new Request(Agent, Call, Tool)), e => e.Code == ConformanceCodes.InvalidContext);
    }

    [Fact]
    public void Validate_ConformingEntities_HaveNoErrors()
    {
        var ip = IpAddrValue.Parse("10.0.0.1", out _)!;
        var entities = new[]
        {
            new Entity(Agent, Record(("trust", Value.Long(3)), ("ip", ip)), [new EntityUid("Group", "g")], Record(("level", Value.Long(1)))),
            new Entity(new EntityUid("Group", "g")),
            new Entity(Call, parents: [new EntityUid("Action", "group")]),
        };
        Assert.Empty(EntityValidator.Validate(Schema, entities));
    }

    [Fact]
    public void Validate_NonConformingEntities_ReportsEachProblem()
    {
        var entities = new[]
        {
            new Entity(Agent, Record(("trust", Value.String("3")), ("extra", Value.Long(1))), [Tool], Record(("level", Value.String("x")))),
            new Entity(new EntityUid("Ghost", "g")),
            new Entity(new EntityUid("Tool", "t"), tags: Record(("k", Value.Long(1)))),
            new Entity(Call),
        };
        var codes = EntityValidator.Validate(Schema, entities).Select(e => e.Code).Order().ToArray();
        Assert.Equal(
            [ConformanceCodes.InvalidActionEntity, ConformanceCodes.InvalidAttribute, ConformanceCodes.InvalidParent,
             ConformanceCodes.InvalidTag, ConformanceCodes.InvalidTag, ConformanceCodes.UndeclaredEntityType],
            codes);
    }
}
