using Mandate.Cedar.Schema;
using Mandate.Cedar.Validation;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Tests.Validation;

/// <summary>The public value-against-schema-type check that hosts call for Cedar values they hold themselves.</summary>
public sealed class ValueConformanceTests
{
    private static readonly CedarSchema Schema = SchemaParser.Parse("""
        entity Color enum ["Red", "Green"];
        entity User;
        entity Doc = { owner: User, color?: Color, tags?: Set<Color>, level?: Long };
        """).Schema!;

    private static CedarType AttributeType(string name) => Schema.FindEntityType("Doc")!.Shape.Find(name)!.Type;

    private static RecordValue Record(params (string Key, Value Value)[] fields) =>
        Value.Record(fields.Select(f => new KeyValuePair<string, Value>(f.Key, f.Value)));

    [Fact]
    public void Check_EnumEntityWithListedId_Conforms()
    {
        Assert.Null(ValueConformance.Check(Value.Entity("Color", "Red"), AttributeType("color"), Schema));
    }

    [Fact]
    public void Check_EnumEntityWithUnlistedId_RefusedNamingTheEntityAndType()
    {
        var problem = ValueConformance.Check(Value.Entity("Color", "Blue"), AttributeType("color"), Schema);

        Assert.Equal("`Color::\"Blue\"` is not one of the values of enumerated entity type `Color`", problem);
    }

    [Fact]
    public void Check_EnumEntityWithUnlistedIdInSet_RefusedAsSetElement()
    {
        var problem = ValueConformance.Check(Value.Set(Value.Entity("Color", "Green"), Value.Entity("Color", "red")), AttributeType("tags"), Schema);

        Assert.Equal("in a set element: `Color::\"red\"` is not one of the values of enumerated entity type `Color`", problem);
    }

    [Fact]
    public void Check_RecordWithUnlistedEnumId_RefusedNamingTheAttribute()
    {
        var shape = Schema.FindEntityType("Doc")!.Shape;

        var problem = ValueConformance.Check(Record(("owner", Value.Entity("User", "alice")), ("color", Value.Entity("Color", "Blue"))), shape, Schema);

        Assert.StartsWith("attribute `color`: `Color::\"Blue\"` is not one", problem);
    }

    [Fact]
    public void Check_EntityOfAnotherType_Refused()
    {
        var problem = ValueConformance.Check(Value.Entity("User", "Red"), AttributeType("color"), Schema);

        Assert.Equal("expected an entity of type `Color`, got `User::\"Red\"`", problem);
    }

    [Fact]
    public void Check_WrongKind_RefusedNamingBothTypes()
    {
        var problem = ValueConformance.Check(Value.String("2"), AttributeType("level"), Schema);

        Assert.Equal("expected a value of type `Long`, got a value of type `String`", problem);
    }

    [Fact]
    public void Check_RecordMissingRequiredOrWithUndeclaredAttribute_Refused()
    {
        var shape = Schema.FindEntityType("Doc")!.Shape;

        Assert.Equal("attribute `owner` is required but missing", ValueConformance.Check(Record(("level", Value.Long(1))), shape, Schema));
        Assert.Equal(
            "attribute `extra` is not declared",
            ValueConformance.Check(Record(("owner", Value.Entity("User", "a")), ("extra", Value.True)), shape, Schema));
        Assert.Null(ValueConformance.Check(Record(("owner", Value.Entity("User", "a"))), shape, Schema));
    }
}
