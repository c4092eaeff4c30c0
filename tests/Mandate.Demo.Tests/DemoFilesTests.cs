using System.Text.Json;

namespace Mandate.Demo.Tests;

public sealed class DemoFilesTests
{
    [Fact]
    public void Names_EmbeddedFiles_IncludePoliciesSchemaEntitiesAndConfig()
    {
        Assert.Contains("schema.cedarschema", DemoFiles.Names);
        Assert.Contains("entities.json", DemoFiles.Names);
        Assert.Contains(DemoFiles.ConfigTemplate, DemoFiles.Names);
        Assert.Contains("policies/documents.cedar", DemoFiles.Names);
    }

    [Fact]
    public void ServerAssembly_AfterTheSplit_HoldsNoDemoTypesOrDemoFiles()
    {
        // The demo's issuer, sample API and policies ship only with the demo; the gateway's assembly must not carry them.
        var server = typeof(Mandate.Server.Hosting.MandateGateway).Assembly;
        Assert.DoesNotContain(server.GetTypes(), t => t.Namespace?.Contains("Demo", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(server.GetManifestResourceNames(), n => n.StartsWith("demo/", StringComparison.Ordinal));
    }

    [Fact]
    public void Entities_EveryCatalogDocument_HasTheSameClassification()
    {
        // The sample API and the gateway's entities must agree, or a policy would judge the wrong document.
        using var entities = JsonDocument.Parse(DemoFiles.Read("entities.json"), new JsonDocumentOptions { AllowDuplicateProperties = false });
        var classifications = entities.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("uid").GetProperty("type").GetString() == "Mandate::Document")
            .ToDictionary(e => e.GetProperty("uid").GetProperty("id").GetString()!, e => e.GetProperty("attrs").GetProperty("classification").GetString());

        Assert.Equal(DocumentCatalog.All.Count, classifications.Count);
        foreach (var document in DocumentCatalog.All)
        {
            Assert.Equal(document.Classification, classifications[document.Id]);
        }
    }

    [Fact]
    public void Entities_EverySampleAgent_IsDescribed()
    {
        var text = DemoFiles.Read("entities.json");
        foreach (var agent in DemoAgents.All)
        {
            Assert.Contains($"\"type\": \"Mandate::Agent\", \"id\": \"{agent.Id}\"", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Policies_EveryPolicyTheScriptCites_Exists()
    {
        var policies = string.Concat(DemoFiles.Names.Where(n => n.EndsWith(".cedar", StringComparison.Ordinal)).Select(DemoFiles.Read));
        foreach (var call in DemoScript.Calls.Where(c => c.ExpectedPolicy is not null))
        {
            Assert.Contains($"@id(\"{call.ExpectedPolicy}\")", policies, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RenderConfig_AllPlaceholdersGiven_LeavesNone()
    {
        var text = DemoFiles.RenderConfig(new Dictionary<string, string>
        {
            ["dataPort"] = "1", ["controlPort"] = "2", ["dataDir"] = "/tmp/x", ["issuer"] = "http://127.0.0.1:3", ["sampleApi"] = "http://127.0.0.1:4",
            ["helpdeskMcp"] = "http://127.0.0.1:5/mcp",
        });
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:3", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderConfig_Approvals_NameTheScriptsApproverWithHerTokenFileInTheDataDirectory()
    {
        var text = DemoFiles.RenderConfig(new Dictionary<string, string>
        {
            ["dataPort"] = "1", ["controlPort"] = "2", ["dataDir"] = "/tmp/x", ["issuer"] = "http://127.0.0.1:3", ["sampleApi"] = "http://127.0.0.1:4",
            ["helpdeskMcp"] = "http://127.0.0.1:5/mcp",
        });
        var approval = DemoScript.Approval;
        Assert.Contains($"- {{ id: {approval.Approver}, tokenFile: \"/tmp/x/{approval.TokenFileName}\" }}", text, StringComparison.Ordinal);

        // Nobody approves a call made by their agent or for them: the approver must be no agent and no agent's user.
        Assert.DoesNotContain(DemoAgents.All, a => a.Id == approval.Approver || a.User == approval.Approver);
    }

    [Fact]
    public void RenderConfig_MissingPlaceholder_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DemoFiles.RenderConfig(new Dictionary<string, string> { ["dataPort"] = "1" }));
        Assert.Contains("{{", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WritePolicyFiles_EarlierExtraPolicy_IsRemoved()
    {
        var dir = Directory.CreateTempSubdirectory("mandate-demo-files-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "policies"));
            File.WriteAllText(Path.Combine(dir, "policies", "stale.cedar"), "permit(principal, action, resource);");

            DemoFiles.WritePolicyFiles(dir);

            Assert.False(File.Exists(Path.Combine(dir, "policies", "stale.cedar")));
            Assert.True(File.Exists(Path.Combine(dir, "policies", "documents.cedar")));
            Assert.True(File.Exists(Path.Combine(dir, "schema.cedarschema")));
            Assert.False(File.Exists(Path.Combine(dir, DemoFiles.ConfigTemplate)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Policies_StrictValidationAgainstTheDemoSchema_Passes()
    {
        var dir = Directory.CreateTempSubdirectory("mandate-demo-validate-").FullName;
        try
        {
            DemoFiles.WritePolicyFiles(dir);
            var output = new StringWriter();
            var error = new StringWriter();

            var exit = await Mandate.Cli.CliApp.RunAsync(
                ["policy", "validate", "--policies", Path.Combine(dir, "policies"), "--schema", Path.Combine(dir, "schema.cedarschema"), "--policy-ids", "annotation", "--mode", "strict"],
                output, error);

            Assert.True(exit == 0, output.ToString() + error);
            Assert.Contains("validation passed", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
