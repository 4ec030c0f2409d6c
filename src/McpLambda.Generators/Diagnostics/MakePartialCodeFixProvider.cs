using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace McpLambda.Generators.Diagnostics
{
    /// <summary>Fixes MCPL001 by adding <c>partial</c> to the class declaration.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider))]
    [Shared]
    public sealed class MakePartialCodeFixProvider : CodeFixProvider
    {
        private const string Title = "Make the class partial";

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ClassNotPartial.Id);

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                var declaration = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
                if (declaration is null || declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => MakePartialAsync(context.Document, declaration, ct), equivalenceKey: Title),
                    diagnostic);
            }
        }

        private static async Task<Document> MakePartialAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            TypeDeclarationSyntax updated;
            var partialToken = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            if (declaration.Modifiers.Count == 0)
            {
                // Move the keyword's leading trivia (indentation) in front of 'partial'.
                updated = declaration
                    .WithKeyword(declaration.Keyword.WithLeadingTrivia())
                    .WithModifiers(SyntaxFactory.TokenList(partialToken.WithLeadingTrivia(declaration.Keyword.LeadingTrivia)));
            }
            else
            {
                // 'partial' must come right before 'class'/'record', i.e. last among the modifiers.
                updated = declaration.WithModifiers(declaration.Modifiers.Add(partialToken));
            }

            return document.WithSyntaxRoot(root.ReplaceNode(declaration, updated));
        }
    }
}
