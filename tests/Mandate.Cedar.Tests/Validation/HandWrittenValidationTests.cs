using System.Text.Json;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Syntax;
using Mandate.Cedar.Tests.Support;
using Mandate.Cedar.Validation;

namespace Mandate.Cedar.Tests.Validation;

/// <summary>The 22 hand-written Cedar integration tests: strict validation equals <c>shouldValidate</c>.</summary>
public class HandWrittenValidationTests
{
    public static TheoryData<string> Tests()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(ConformanceData.CedarDir, "tests"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(ConformanceData.CedarDir, f));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Tests))]
    public void Validate_HandWrittenTest_StrictResultEqualsShouldValidate(string test)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ConformanceData.CedarDir, test)));
        var root = doc.RootElement;
        var schemaFile = Path.Combine(ConformanceData.CedarDir, root.GetProperty("schema").GetString()!);
        var schema = SchemaParser.Parse(File.ReadAllText(schemaFile), schemaFile);
        Assert.True(schema.Success, string.Join("\n", schema.Diagnostics));
        var policyFile = Path.Combine(ConformanceData.CedarDir, root.GetProperty("policies").GetString()!);
        var policies = PolicyParser.ParsePolicySet(File.ReadAllText(policyFile), policyFile).GetValueOrThrow();

        var result = Validator.Validate(schema.Schema!, policies, ValidationMode.Strict);

        Assert.True(root.GetProperty("shouldValidate").GetBoolean() == result.IsValid, string.Join("\n", result.Errors));
        Assert.True(Validator.Validate(schema.Schema!, policies, ValidationMode.Permissive).IsValid || !result.IsValid);
    }

    [Theory]
    [InlineData("sample-data/sandbox_a/schema.cedarschema", "sample-data/sandbox_a/entities.json")]
    [InlineData("sample-data/sandbox_b/schema.cedarschema", "sample-data/sandbox_b/entities.json")]
    [InlineData("sample-data/sandbox_b/schema_exts.cedarschema", "sample-data/sandbox_b/entities.json")]
    public void Validate_SandboxEntities_ConformToTheirSchema(string schemaPath, string entitiesPath)
    {
        var schema = SchemaParser.Parse(File.ReadAllText(Path.Combine(ConformanceData.CedarDir, schemaPath))).Schema!;
        var entities = Json.EntityJson.ParseEntities(File.ReadAllText(Path.Combine(ConformanceData.CedarDir, entitiesPath)), schema);
        Assert.True(entities.Success, string.Join("\n", entities.Errors));
        Assert.NotEmpty(entities.Value!);
        Assert.Empty(EntityValidator.Validate(schema, entities.Value!));
    }
}
