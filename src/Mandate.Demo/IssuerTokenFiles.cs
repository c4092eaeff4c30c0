using System.Text;

namespace Mandate.Demo;

/// <summary>
/// Writes tokens of a running <see cref="DemoIssuer"/> to files, for scripts (the load benchmark):
/// <c>token-&lt;agent&gt;.txt</c> per sample agent, <c>tokens-fresh.txt</c> with many distinct
/// support-bot tokens (one per line), and <c>issuer.txt</c> LAST, so its appearance means "ready".
/// </summary>
public static class IssuerTokenFiles
{
    /// <summary>The readiness file holding the issuer URL.</summary>
    public const string IssuerFile = "issuer.txt";

    /// <summary>The file of distinct tokens for the fresh-token run.</summary>
    public const string FreshTokensFile = "tokens-fresh.txt";

    /// <summary>Writes every file into <paramref name="directory"/>.</summary>
    public static void Write(DemoIssuer issuer, string directory, int freshCount, TimeSpan lifetime)
    {
        Directory.CreateDirectory(directory);
        File.Delete(Path.Combine(directory, IssuerFile));
        foreach (var agent in DemoAgents.All)
        {
            File.WriteAllText(Path.Combine(directory, $"token-{agent.Id}.txt"), issuer.Mint(agent, lifetime) + "\n");
        }

        using (var fresh = new StreamWriter(Path.Combine(directory, FreshTokensFile), append: false, new UTF8Encoding(false)))
        {
            for (var i = 0; i < freshCount; i++)
            {
                fresh.Write(issuer.Mint(DemoAgents.SupportBot, lifetime));
                fresh.Write('\n');
            }
        }

        var temporary = Path.Combine(directory, IssuerFile + ".tmp");
        File.WriteAllText(temporary, issuer.Issuer + "\n");
        File.Move(temporary, Path.Combine(directory, IssuerFile), overwrite: true);
    }
}
