using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;
using static McpLambda.Tests.SamYaml;

namespace McpLambda.Package.Tests;

/// <summary>
/// `dotnet new mcp-lambda --auth oauth` and `--cognito`: the function checks OAuth access tokens, each HTTP way in lets
/// clients reach the endpoint and its metadata without AWS credentials, and Cognito is set up for the documented clients.
/// </summary>
[Collection(UserWorkspaceCollection.Name)]
public sealed class OAuthTemplateTests(UserWorkspace user)
{
    private const string MetadataPath = "/.well-known/oauth-protected-resource/mcp";

    private static readonly string[] DocumentedCallbacks =
    [
        "https://claude.ai/api/mcp/auth_callback",
        "https://claude.com/api/mcp/auth_callback",
        "http://localhost:6274/oauth/callback",
        "https://vscode.dev/redirect",
        "http://127.0.0.1:33418/",
        "http://localhost:8787/callback",
        "https://www.cursor.com/agents/mcp/oauth/callback",
        "cursor://anysphere.cursor-mcp/oauth/callback",
    ];

    [Fact]
    public async Task A_function_url_is_public_to_lambda_with_both_grants_and_the_function_checks_the_tokens()
    {
        var project = await user.NewFunctionAsync("OAuthUrl", "--transport", "FunctionUrl", "--auth", "oauth", "--no-npm-install");

        var sam = LoadYaml(Path.Combine(project, "template.yaml"));
        var function = AssertIssuerChecks(sam);
        Assert.Equal("NONE", Scalar(Map(function, "FunctionUrlConfig"), "AuthType"));
        AssertPublicFunctionUrl(sam);
        var outputs = Map(sam, "Outputs");
        Assert.Equal("${McpFunctionUrl.FunctionUrl}mcp", Scalar(Map(outputs, "McpEndpoint"), "Value"));
        Assert.Equal("${McpFunctionUrl.FunctionUrl}" + MetadataPath[1..], Scalar(Map(outputs, "ResourceMetadata"), "Value"));

        // deploy-function makes the same public URL, and the function refuses to start until the issuer is filled in.
        var tools = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "aws-lambda-tools-defaults.json")))!;
        Assert.Equal("NONE", (string?)tools["function-url-auth"]);
        var environment = ((string)tools["environment-variables"]!).Split(';').Select(pair => pair.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        Assert.False(Uri.TryCreate(environment["MCPLAMBDA_OAUTH_ISSUER"], UriKind.Absolute, out _), "a placeholder, not an issuer");
        Assert.Equal("mcp:tools", environment["MCPLAMBDA_OAUTH_SCOPES"]);
        Assert.Equal("none", environment["MCPLAMBDA_ALLOWED_ORIGINS"]);
        Assert.DoesNotContain("McpLambdaOAuth", File.ReadAllText(Path.Combine(project, "OAuthUrl.csproj")));
    }

    [Fact]
    public async Task An_http_api_routes_the_endpoint_and_its_metadata_without_iam()
    {
        var project = await user.NewFunctionAsync("OAuthHttpApi", "--transport", "HttpApi", "--auth", "oauth", "--no-npm-install");

        var sam = LoadYaml(Path.Combine(project, "template.yaml"));
        var events = Map(AssertIssuerChecks(sam), "Events");
        Assert.Equal(["/mcp", "/.well-known/{proxy+}"], events.Children.Values.Select(e => Scalar(Map((YamlMappingNode)e, "Properties"), "Path")));
        Assert.All(events.Children.Values, e => Assert.False(Has(Map((YamlMappingNode)e, "Properties"), "Auth"), "no IAM authorization"));
        Assert.EndsWith(".execute-api.${AWS::Region}.${AWS::URLSuffix}" + MetadataPath, Scalar(Map(Map(sam, "Outputs"), "ResourceMetadata"), "Value"));
        Assert.DoesNotContain("AWS_IAM", File.ReadAllText(Path.Combine(project, "template.yaml")));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task A_rest_api_gives_the_gateways_refusals_the_challenge_and_serves_the_metadata(string streaming)
    {
        var project = await user.NewFunctionAsync("OAuthRest" + streaming, "--transport", "ApiGateway", "--auth", "oauth", "--streaming", streaming, "--no-npm-install");

        var sam = LoadYaml(Path.Combine(project, "template.yaml"));
        AssertIssuerChecks(sam);
        AssertGatewayChallenges(sam, "${OAuthScopes}", validatesToken: true);
        AssertTokenRequired(sam, streaming == "true");

        // With another issuer the template adds no authorizer (the README says what REST needs); the metadata route has none.
        Assert.DoesNotContain("McpAuthorizer", File.ReadAllText(Path.Combine(project, "template.yaml")));
        AssertMetadataRoute(sam, streaming == "true", authorizer: false);
    }

    [Theory]
    [InlineData("FunctionUrl")]
    [InlineData("HttpApi")]
    [InlineData("ApiGateway")]
    public async Task Cognito_is_the_authorization_server_of_the_documented_clients(string transport)
    {
        var name = "Cognito" + transport;
        var project = await user.NewFunctionAsync(name, "--transport", transport, "--cognito", "--no-npm-install");
        var scope = name.ToLowerInvariant() + "/mcp:tools";

        var sam = LoadYaml(Path.Combine(project, "template.yaml"));
        Assert.False(Has(sam, "Parameters"), "the user pool is the issuer: nothing to fill in");
        var pool = Assert.Single(Resources(sam, "AWS::Cognito::UserPool")).Value;
        Assert.Equal("ESSENTIALS", Scalar(pool, "UserPoolTier"));
        Assert.Equal("true", Scalar(Map(pool, "AdminCreateUserConfig"), "AllowAdminCreateUserOnly"));
        Assert.Equal("2", Scalar(Assert.Single(Resources(sam, "AWS::Cognito::UserPoolDomain")).Value, "ManagedLoginVersion"));
        var server = Assert.Single(Resources(sam, "AWS::Cognito::UserPoolResourceServer")).Value;
        Assert.Equal(scope, Scalar(server, "Identifier") + "/" + Scalar((YamlMappingNode)Assert.Single(((YamlSequenceNode)server.Children["Scopes"]).Children), "ScopeName"));

        var (clientName, client) = Assert.Single(Resources(sam, "AWS::Cognito::UserPoolClient"));
        Assert.Equal("McpUserPoolClient", clientName);
        Assert.Equal("false", Scalar(client, "GenerateSecret"));
        Assert.Equal("true", Scalar(client, "AllowedOAuthFlowsUserPoolClient"));
        Assert.Equal(["code"], Scalars(client, "AllowedOAuthFlows"));
        Assert.Equal(["openid", scope], Scalars(client, "AllowedOAuthScopes"));
        Assert.Equal(DocumentedCallbacks, Scalars(client, "CallbackURLs"));
        var branding = Assert.Single(Resources(sam, "AWS::Cognito::ManagedLoginBranding")).Value;
        Assert.Equal("McpUserPoolClient", Scalar(branding, "ClientId"));

        // Tokens from the pool, for this endpoint or (without aud) this client, with the scope.
        var variables = Map(Map(Map(Map(Map(sam, "Resources"), "McpFunction"), "Properties"), "Environment"), "Variables");
        Assert.Equal(("!Sub", "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${McpUserPool}"), Tagged(ScalarNode(variables, "MCPLAMBDA_OAUTH_ISSUER")));
        Assert.Equal(("!Ref", "McpUserPoolClient"), Tagged(ScalarNode(variables, "MCPLAMBDA_OAUTH_CLIENT_IDS")));
        Assert.Equal(scope, Scalar(variables, "MCPLAMBDA_OAUTH_SCOPES"));
        Assert.False(Has(variables, "MCPLAMBDA_OAUTH_AUDIENCE"), "aud is the endpoint's own URL");

        var outputs = Map(sam, "Outputs");
        Assert.Equal(("!Ref", "McpUserPoolClient"), Tagged(ScalarNode(Map(outputs, "ClientId"), "Value")));
        Assert.EndsWith(".amazoncognito.com/oauth2/authorize", Scalar(Map(outputs, "AuthorizationEndpoint"), "Value"));
        Assert.StartsWith("https://${McpUserPoolDomain}.auth.", Scalar(Map(outputs, "CognitoDomain"), "Value"));
        Assert.EndsWith(MetadataPath[1..], Scalar(Map(outputs, "ResourceMetadata"), "Value"));
        Assert.True(Has(outputs, "McpEndpoint"));

        switch (transport)
        {
            case "FunctionUrl":
                AssertPublicFunctionUrl(sam);
                break;
            case "ApiGateway":
                // Cognito's authorizer refuses a request without a token with 401, which carries the challenge.
                var body = Map(Map(Map(Map(sam, "Resources"), "McpApi"), "Properties"), "DefinitionBody");
                var security = (YamlMappingNode)((YamlSequenceNode)Map(Map(Map(body, "paths"), "/mcp"), "x-amazon-apigateway-any-method").Children["security"]).Children.Single();
                Assert.Equal([scope], Scalars(security, "McpAuthorizer"));
                Assert.Equal("cognito_user_pools", Scalar(Map(Map(Map(Map(body, "components"), "securitySchemes"), "McpAuthorizer"), "x-amazon-apigateway-authorizer"), "type"));
                AssertGatewayChallenges(sam, scope, validatesToken: false);
                AssertMetadataRoute(sam, streaming: true, authorizer: true);
                break;
        }
    }

    [Fact]
    public async Task A_buffered_rest_api_with_cognito_authorizes_the_endpoint_but_not_its_metadata()
    {
        var project = await user.NewFunctionAsync("CognitoBufferedRest", "--transport", "ApiGateway", "--cognito", "--streaming", "false", "--no-npm-install");

        var sam = LoadYaml(Path.Combine(project, "template.yaml"));
        var authorizer = Map(Map(Map(Map(Map(Map(sam, "Resources"), "McpApi"), "Properties"), "Auth"), "Authorizers"), "McpAuthorizer");
        Assert.Equal(("!GetAtt", "McpUserPool.Arn"), Tagged(ScalarNode(authorizer, "UserPoolArn")));
        Assert.Equal(["cognitobufferedrest/mcp:tools"], Scalars(authorizer, "AuthorizationScopes"));
        AssertGatewayChallenges(sam, "cognitobufferedrest/mcp:tools", validatesToken: false);
        AssertMetadataRoute(sam, streaming: false, authorizer: true);
    }

    [Theory]
    [InlineData("LambdaInvoke")]
    [InlineData("BedrockAgentCoreGateway")]
    public async Task Oauth_is_for_the_http_ways_in_and_changes_nothing_elsewhere(string transport)
    {
        var plain = await user.NewFunctionAsync("Plain" + transport, "--transport", transport, "--no-npm-install");
        var oauth = await user.NewFunctionAsync("OAuth" + transport, "--transport", transport, "--auth", "oauth", "--cognito", "--no-npm-install");

        foreach (var file in new[] { "template.yaml", "aws-lambda-tools-defaults.json" })
        {
            var renamed = File.ReadAllText(Path.Combine(oauth, file)).Replace("OAuth" + transport, "Plain" + transport).Replace(("OAuth" + transport).ToLowerInvariant(), ("Plain" + transport).ToLowerInvariant());
            Assert.Equal(File.ReadAllText(Path.Combine(plain, file)), renamed);
        }
    }

    /// <summary>The issuer, audience and scopes are parameters the function gets as its MCPLAMBDA_OAUTH_* variables.</summary>
    private static YamlMappingNode AssertIssuerChecks(YamlMappingNode sam)
    {
        var parameters = Map(sam, "Parameters");
        Assert.Equal(["OAuthIssuer", "OAuthAudience", "OAuthScopes"], parameters.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.Equal("https://.+", Scalar(Map(parameters, "OAuthIssuer"), "AllowedPattern"));
        Assert.Equal("", Scalar(Map(parameters, "OAuthAudience"), "Default"));
        Assert.Equal("mcp:tools", Scalar(Map(parameters, "OAuthScopes"), "Default"));

        var function = Map(Map(Map(sam, "Resources"), "McpFunction"), "Properties");
        var variables = Map(Map(function, "Environment"), "Variables");
        Assert.Equal(("!Ref", "OAuthIssuer"), Tagged(ScalarNode(variables, "MCPLAMBDA_OAUTH_ISSUER")));
        Assert.Equal(("!Ref", "OAuthScopes"), Tagged(ScalarNode(variables, "MCPLAMBDA_OAUTH_SCOPES")));
        // An empty audience leaves the variable out: tokens must then be issued for the endpoint's own URL.
        var audience = (YamlSequenceNode)variables.Children[new YamlScalarNode("MCPLAMBDA_OAUTH_AUDIENCE")];
        Assert.Equal("!If", audience.Tag.Value);
        Assert.Equal("HasOAuthAudience", ((YamlScalarNode)audience.Children[0]).Value);
        Assert.Equal("none", Scalar(variables, "MCPLAMBDA_ALLOWED_ORIGINS"));
        return function;
    }

    /// <summary>Both grants a public function URL needs, to everyone: InvokeFunctionUrl, and InvokeFunction through the URL only.</summary>
    private static void AssertPublicFunctionUrl(YamlMappingNode sam)
    {
        var grants = Resources(sam, "AWS::Lambda::Permission").Values.ToList();
        var url = Assert.Single(grants, grant => Scalar(grant, "Action") == "lambda:InvokeFunctionUrl");
        Assert.Equal("NONE", Scalar(url, "FunctionUrlAuthType"));
        var invoke = Assert.Single(grants, grant => Scalar(grant, "Action") == "lambda:InvokeFunction");
        Assert.Equal("true", Scalar(invoke, "InvokedViaFunctionUrl"));
        Assert.All(grants, grant => Assert.Equal(("*", "McpFunction"), (Scalar(grant, "Principal"), Scalar(grant, "FunctionName"))));
        Assert.Equal("NONE", Scalar(Map(Map(Map(Map(sam, "Resources"), "McpFunction"), "Properties"), "FunctionUrlConfig"), "AuthType"));
    }

    /// <summary>
    /// The gateway's 401 and 403 carry a static challenge naming the API's own metadata URL and the scopes; so does the
    /// refusal of the request validation that requires a token (<paramref name="validatesToken"/>), made a 401.
    /// </summary>
    private static void AssertGatewayChallenges(YamlMappingNode sam, string scopes, bool validatesToken)
    {
        var metadata = Scalar(Map(Map(sam, "Outputs"), "ResourceMetadata"), "Value");
        Assert.Equal("https://${McpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod" + MetadataPath, metadata);
        var responses = Resources(sam, "AWS::ApiGateway::GatewayResponse").Values.ToDictionary(r => Scalar(r, "ResponseType")!);
        (string Type, string Status)[] expected = validatesToken
            ? [("UNAUTHORIZED", "401"), ("ACCESS_DENIED", "403"), ("BAD_REQUEST_PARAMETERS", "401")]
            : [("UNAUTHORIZED", "401"), ("ACCESS_DENIED", "403")];
        Assert.Equal(expected.Select(e => e.Type), responses.Keys);
        foreach (var (type, status) in expected)
        {
            var response = responses[type];
            Assert.Equal(status, Scalar(response, "StatusCode"));
            Assert.Equal(("!Ref", "McpApi"), Tagged(ScalarNode(response, "RestApiId")));
            var (tag, challenge) = Tagged(ScalarNode(Map(response, "ResponseParameters"), "gatewayresponse.header.WWW-Authenticate"));
            Assert.Equal("!Sub", tag);
            Assert.StartsWith($"'Bearer resource_metadata=\"{metadata}\", scope=\"{scopes}\"", challenge);
            Assert.EndsWith("'", challenge);
        }
    }

    /// <summary>Without an authorizer, the REST API's endpoint validates that a request has an Authorization header.</summary>
    private static void AssertTokenRequired(YamlMappingNode sam, bool streaming)
    {
        var api = Map(Map(Map(sam, "Resources"), "McpApi"), "Properties");
        if (streaming)
        {
            var body = Map(api, "DefinitionBody");
            var method = Map(Map(Map(body, "paths"), "/mcp"), "x-amazon-apigateway-any-method");
            var header = (YamlMappingNode)Assert.Single(((YamlSequenceNode)method.Children["parameters"]).Children);
            Assert.Equal(("Authorization", "header", "true"), (Scalar(header, "name"), Scalar(header, "in"), Scalar(header, "required")));
            var validator = Map(Map(body, "x-amazon-apigateway-request-validators"), Scalar(method, "x-amazon-apigateway-request-validator")!);
            Assert.Equal(("true", "false"), (Scalar(validator, "validateRequestParameters"), Scalar(validator, "validateRequestBody")));
            return;
        }

        var mcp = Map(Map(Map(Map(Map(Map(sam, "Resources"), "McpFunction"), "Properties"), "Events"), "Mcp"), "Properties");
        var parameter = (YamlMappingNode)Assert.Single(((YamlSequenceNode)mcp.Children["RequestParameters"]).Children);
        Assert.Equal("true", Scalar(Map(parameter, "method.request.header.Authorization"), "Required"));
        var model = Map(mcp, "RequestModel");
        Assert.Equal(("true", "false"), (Scalar(model, "ValidateParameters"), Scalar(model, "ValidateBody")));
        Assert.True(Has(Map(api, "Models"), Scalar(model, "Model")!), "the model is the API's");
    }

    /// <summary>The metadata route of a REST API: GET under /.well-known, never behind the authorizer.</summary>
    private static void AssertMetadataRoute(YamlMappingNode sam, bool streaming, bool authorizer)
    {
        var api = Map(Map(Map(sam, "Resources"), "McpApi"), "Properties");
        Assert.Equal("merge", Scalar(api, "Mode"));
        if (streaming)
        {
            var get = Map(Map(Map(Map(api, "DefinitionBody"), "paths"), "/.well-known/{proxy+}"), "get");
            Assert.False(Has(get, "security"), "the metadata is public");
            Assert.Equal("STREAM", Scalar(Map(get, "x-amazon-apigateway-integration"), "responseTransferMode"));
            return;
        }

        var metadata = Map(Map(Map(Map(Map(Map(sam, "Resources"), "McpFunction"), "Properties"), "Events"), "ResourceMetadata"), "Properties");
        Assert.Equal(("/.well-known/{proxy+}", "GET"), (Scalar(metadata, "Path"), Scalar(metadata, "Method")));
        Assert.Equal(authorizer ? "NONE" : null, Has(metadata, "Auth") ? Scalar(Map(metadata, "Auth"), "Authorizer") : null);
    }

    private static (string Tag, string? Value) Tagged(YamlScalarNode node) => (node.Tag.Value, node.Value);
}
