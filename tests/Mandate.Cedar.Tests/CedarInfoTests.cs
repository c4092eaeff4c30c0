namespace Mandate.Cedar.Tests;

public class CedarInfoTests
{
    [Fact]
    public void LanguageVersion_IsCedar4() => Assert.StartsWith("4", CedarInfo.LanguageVersion);
}
