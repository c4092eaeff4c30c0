using Mandate.Fuzz.Targets;

namespace Mandate.Fuzz;

/// <summary>Seeds that cannot be written by hand: JWS tokens signed with <see cref="JwsFuzzKeys"/>.</summary>
internal static class Seeds
{
    /// <summary>Writes <c>DIR/jws/signed-*.txt</c>; returns the process exit code.</summary>
    public static int Write(string dir)
    {
        var folder = Path.Combine(dir, "jws");
        Directory.CreateDirectory(folder);
        const string claims = """{"iss":"https://issuer.example","sub":"agent-1","aud":"mandate","exp":4102444800,"iat":1700000000,"scope":"tickets.read"}""";
        var tokens = new (string Name, string Alg, string Header)[]
        {
            ("es256-kid", "ES256", """{"alg":"ES256","kid":"ec","typ":"JWT"}"""),
            ("es256-no-kid", "ES256", """{"alg":"ES256"}"""),
            ("rs256-at-jwt", "RS256", """{"alg":"RS256","kid":"rsa","typ":"at+jwt"}"""),
            ("ps256-application-typ", "PS256", """{"alg":"PS256","kid":"rsa","typ":"application/JWT"}"""),
            ("eddsa-kid", "EdDSA", """{"alg":"EdDSA","kid":"ed","typ":"JOSE"}"""),
            ("es256-crit-empty-b64", "ES256", """{"alg":"ES256","kid":"ec","crit":[],"b64":true}"""),
        };
        foreach (var (name, alg, header) in tokens)
        {
            File.WriteAllText(Path.Combine(folder, $"signed-{name}.txt"), JwsFuzzKeys.Sign(alg, header, claims));
        }

        Console.WriteLine($"wrote {tokens.Length} seeds to {folder}");
        return 0;
    }
}
