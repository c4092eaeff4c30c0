namespace Mandate.Architecture.Tests;

/// <summary>The graph reader on small made-up projects: what counts as a dependency, and how a cycle is reported.</summary>
public sealed class FolderDependencyGraphTests
{
    private static FolderDependencyGraph Graph(params (string Path, string Text)[] files) =>
        FolderDependencyGraph.FromSources(files, "Acme");

    private static (string, string) TypeIn(string folder, string type) =>
        ($"{folder}/{type}.cs", $"namespace Acme.{folder};\n\npublic sealed class {type} {{ }}\n");

    [Fact]
    public void FromSources_UsingDirective_IsDependency()
    {
        var g = Graph(TypeIn("Low", "Thing"), ("High/User.cs", "using Acme.Low;\n\nnamespace Acme.High;\n\nclass User { Thing? t; }\n"));

        Assert.Equal(["Low"], g.DependenciesOf("High"));
        Assert.Empty(g.DependenciesOf("Low"));
        Assert.Equal("High/User.cs:1 `Acme.Low`", Assert.Single(g.ReferencesBetween("High", "Low")).ToString());
    }

    [Fact]
    public void FromSources_FullyQualifiedAndGlobalReferences_AreDependencies()
    {
        var g = Graph(
            TypeIn("Low", "Thing"),
            TypeIn("Other", "Gadget"),
            ("High/User.cs", "namespace Acme.High;\n\nclass User { Acme.Low.Thing? t; global::Acme.Other.Gadget? g; }\n"));

        Assert.Equal(["Low", "Other"], g.DependenciesOf("High"));
    }

    [Fact]
    public void FromSources_PartialQualificationOfDeclaredType_IsDependencyButMemberAccessIsNot()
    {
        var g = Graph(
            TypeIn("Low", "Thing"),
            TypeIn("Values", "Gadget"),
            ("High/User.cs", "namespace Acme.High;\n\nclass User { Low.Thing? t; int N(Dictionary<int, int> d) => d.Values.Count + Values.Count; }\n"));

        Assert.Equal(["Low"], g.DependenciesOf("High"));
    }

    [Fact]
    public void FromSources_CommentsAndStringContents_AreNotDependencies()
    {
        var g = Graph(
            TypeIn("Low", "Thing"),
            TypeIn("Other", "Gadget"),
            ("High/User.cs", """"
                namespace Acme.High;

                // using Acme.Low; is not needed here
                /* nor Acme.Low.Thing */
                class User
                {
                    string A = "using Acme.Low;";
                    string B = @"Acme.Low.Thing ""quoted""";
                    string C = "text/*";
                    char D = '"';
                    Acme.Other.Gadget? g; // after "text/*" the code goes on
                }
                """"));

        Assert.Equal(["Other"], g.DependenciesOf("High"));
    }

    [Fact]
    public void FromSources_InterpolationHoleAndDocCref_AreDependencies()
    {
        var g = Graph(
            TypeIn("Low", "Thing"),
            TypeIn("Other", "Gadget"),
            ("High/User.cs", """
                namespace Acme.High;

                /// <summary>Uses <see cref="Acme.Other.Gadget"/>, unlike Acme.Low in this prose.</summary>
                class User
                {
                    string S(int x) => $"value {Low.Thing.Name(x, "a")}: {x}";
                }
                """));

        Assert.Equal(["Low", "Other"], g.DependenciesOf("High"));
        Assert.Equal(6, Assert.Single(g.ReferencesBetween("High", "Low")).Line);
    }

    [Fact]
    public void FromSources_Subfolder_CountsAsItsFolder()
    {
        var g = Graph(
            TypeIn("Low", "Thing"),
            ("Low/Parts/Piece.cs", "using Acme.High;\n\nnamespace Acme.Low.Parts;\n\nclass Piece { }\n"),
            ("High/User.cs", "using Acme.Low.Parts;\n\nnamespace Acme.High;\n\nclass User { Piece? p; }\n"));

        Assert.Equal(["High", "Low"], g.Folders);
        Assert.Equal(["Low"], g.DependenciesOf("High"));
        Assert.Equal(["High"], g.DependenciesOf("Low"));
    }

    [Fact]
    public void Cycles_FoldersThatDependOnEachOther_ReportedWithThePlacesToChange()
    {
        var g = Graph(
            ("A/One.cs", "using Acme.B;\n\nnamespace Acme.A;\n\nclass One { }\n"),
            ("B/Two.cs", "using Acme.C;\n\nnamespace Acme.B;\n\nclass Two { }\n"),
            ("C/Three.cs", "namespace Acme.C;\n\nclass Three { A.One? one; }\n"),
            ("D/Four.cs", "using Acme.A;\n\nnamespace Acme.D;\n\nclass Four { }\n"));

        var cycle = Assert.Single(g.Cycles());
        Assert.Equal(["A", "B", "C"], cycle);
        var text = g.Describe(cycle);
        Assert.StartsWith("cycle A -> B -> C -> A\n", text.ReplaceLineEndings("\n"));
        Assert.Contains("A -> B: A/One.cs:1 `Acme.B`", text);
        Assert.Contains("C -> A: C/Three.cs:3 `A.One`", text);
        Assert.DoesNotContain("D ->", text);
    }

    [Fact]
    public void Cycles_DependenciesOneWay_None()
    {
        var g = Graph(
            TypeIn("Low", "Thing"),
            ("Mid/Part.cs", "using Acme.Low;\n\nnamespace Acme.Mid;\n\nclass Part { }\n"),
            ("High/User.cs", "using Acme.Low;\nusing Acme.Mid;\n\nnamespace Acme.High;\n\nclass User { }\n"),
            ("Root.cs", "using Acme.High;\n\nnamespace Acme;\n\nclass Root { }\n"));

        Assert.Empty(g.Cycles());
        Assert.Equal(["High"], g.DependenciesOf(""));
    }
}
