using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Mandate.Core.Errors;

namespace Mandate.Architecture.Tests;

/// <summary>
/// Every stable error code is defined once, in <see cref="ErrorCatalogue"/>; <c>docs/errors.md</c> lists exactly the
/// catalogue (code, status, title, JSON-RPC code, OAuth error, meaning), and no source file spells a code inline.
/// To rewrite the doc's table after changing the catalogue: <c>MANDATE_WRITE_DOCS=1 dotnet test tests/Mandate.Architecture.Tests</c>.
/// </summary>
public sealed partial class ErrorCatalogueTests
{
    private const string Begin = "<!-- catalogue:begin (generated from src/Mandate.Core/Errors; see ErrorCatalogueTests) -->";
    private const string End = "<!-- catalogue:end -->";

    // Families of decision-path codes; a literal of one of these shapes outside the catalogue is a code written inline.
    private static readonly string[] Families =
    [
        "path", "identity", "token", "dpop", "session", "delegation", "route", "request", "policy", "decision", "audit",
        "gateway", "upstream", "mcp", "jsonrpc", "exchange", "admin", "schema", "entities", "agents", "routes",
    ];

    // Literals of a code's shape that are not error codes, each with the reason.
    private static readonly Dictionary<string, string> NotCodes = new(StringComparer.Ordinal)
    {
        ["src/Mandate.Core/Mcp/McpActions.cs"] = "Cedar action ids of MCP methods (mcp.tools.call, …)",
        ["src/Mandate.Core/Tokens/ExchangePlan.cs"] = "the Cedar action id token.exchange",
        ["src/Mandate.Core/Audit/AuditErrorCodes.cs"] = "the audit store's own error codes (docs/errors.md, \"Store codes\")",
        ["src/Mandate.Storage.Sqlite/Audit/SqliteAuditOptions.cs"] = "the file name audit.db",
    };

    // Single literals of a code's shape that name something else.
    private static readonly Dictionary<string, string> NotCodeLiterals = new(StringComparer.Ordinal)
    {
        ["\"entities.file\""] = "a YAML path of mandate.yaml",
        ["\"token.revoke\""] = "the Cedar action id an RFC 7009 revocation is recorded under",
        ["\"audit.durability\""] = "a YAML path of mandate.yaml (the default durability class)",
    };

    private static string DocPath => Path.Combine(RepositoryRoot.FullPath, "docs", "errors.md");

    [Fact]
    public void Catalogue_Codes_AreUniqueAndWellFormed()
    {
        var fields = Fields();
        Assert.Equal(fields.Count, fields.Select(f => f.Code.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(fields, f => Assert.Matches(@"^[a-z]+(_[a-z]+)*\.[a-z0-9]+(_[a-z0-9]+)*$", f.Code.Code));
        Assert.All(fields, f => Assert.InRange(f.Code.HttpStatus, 200, 599));
        Assert.All(fields, f => Assert.Same(f.Code, ErrorCatalogue.Find(f.Code.Code)));
    }

    [Fact]
    public void ErrorsDoc_Table_IsTheCatalogue()
    {
        var expected = Table();
        var doc = File.ReadAllText(DocPath);
        var begin = doc.IndexOf(Begin, StringComparison.Ordinal);
        var end = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/errors.md has no `{Begin}` … `{End}` section");
        var actual = doc[(begin + Begin.Length)..end].Trim('\n');
        if (actual != expected && Environment.GetEnvironmentVariable("MANDATE_WRITE_DOCS") == "1")
        {
            File.WriteAllText(DocPath, doc[..(begin + Begin.Length)] + "\n" + expected + "\n" + doc[end..]);
            return;
        }

        var missing = expected.Split('\n').Except(actual.Split('\n')).ToList();
        var extra = actual.Split('\n').Except(expected.Split('\n')).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            "docs/errors.md disagrees with the catalogue (MANDATE_WRITE_DOCS=1 rewrites its table):\n"
            + string.Join("\n", missing.Select(l => "missing: " + l).Concat(extra.Select(l => "not in the catalogue: " + l))));
    }

    [Fact]
    public void Sources_SpellNoCodeInline()
    {
        var pattern = new Regex($"\"(?:{string.Join('|', Families)})\\.[a-z0-9_.]+\"");
        var found = new List<string>();
        var src = Path.Combine(RepositoryRoot.FullPath, "src");
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepositoryRoot.FullPath, file).Replace('\\', '/');
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal)
                || relative.StartsWith("src/Mandate.Core/Errors/", StringComparison.Ordinal) || NotCodes.ContainsKey(relative))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimStart();
                if (line.StartsWith("//", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match m in pattern.Matches(line))
                {
                    if (NotCodeLiterals.ContainsKey(m.Value))
                    {
                        continue;
                    }

                    found.Add($"{relative}:{i + 1} {m.Value}");
                }
            }
        }

        Assert.True(found.Count == 0, "codes spelled inline; use the ErrorCatalogue entry:\n" + string.Join("\n", found));
    }

    [Fact]
    public void IdentityCodes_EachHaveATokenEntry()
    {
        // The identity room's codes reach callers as token.<code>; each must be catalogued.
        var codes = typeof(Mandate.Core.Identity.IdentityErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!);
        Assert.All(codes, c => Assert.NotNull(ErrorCatalogue.Find("token." + c)));
    }

    /// <summary>The table docs/errors.md must hold, one row per code in code order.</summary>
    private static string Table()
    {
        var meanings = Meanings();
        var rows = new StringBuilder();
        rows.Append("| code | HTTP | title | JSON-RPC | OAuth | meaning |\n|---|---|---|---|---|---|");
        foreach (var (name, code) in Fields().OrderBy(f => f.Code.Code, StringComparer.Ordinal))
        {
            rows.Append($"\n| `{code.Code}` | {code.HttpStatus} | {code.Title} | {code.JsonRpc?.ToString() ?? ""} | {(code.OAuth is null ? "" : $"`{code.OAuth}`")} | {meanings[name]} |");
        }

        return rows.ToString();
    }

    private static List<(string Name, ErrorCode Code)> Fields() =>
        typeof(ErrorCatalogue).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorCode))
            .Select(f => (f.Name, (ErrorCode)f.GetValue(null)!))
            .ToList();

    // Each entry's meaning is its XML doc summary in the catalogue's source, so the doc says what the code says.
    private static Dictionary<string, string> Meanings()
    {
        var meanings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.FullPath, "src", "Mandate.Core", "Errors"), "*.cs"))
        {
            foreach (Match m in Entry().Matches(File.ReadAllText(file)))
            {
                var text = Regex.Replace(m.Groups["summary"].Value, @"\s*///\s*", " ");
                text = Regex.Replace(text, @"<c>(.*?)</c>", "`$1`");
                text = Regex.Replace(text, @"<see cref=""(?:[\w.]+\.)?(\w+)""\s*/>", "`$1`");
                text = Regex.Replace(text, @"</?em>", "*");
                text = Regex.Replace(text.Replace("&lt;", "<").Replace("&gt;", ">"), @"\s+", " ").Trim().Replace("|", "\\|");
                meanings[m.Groups["name"].Value] = text;
            }
        }

        return meanings;
    }

    [GeneratedRegex(@"///\s*<summary>(?<summary>(?:(?!<summary>).)*?)</summary>\s*public static readonly ErrorCode (?<name>\w+)", RegexOptions.Singleline)]
    private static partial Regex Entry();
}
