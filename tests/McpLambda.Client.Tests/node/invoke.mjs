// Invokes a function through the AWS SDK for JavaScript v3 and prints what came back as one JSON line:
// {"statusCode", "functionError", "payload"}. Input (JSON on stdin): {"endpoint", "region", "functionName",
// "accessKeyId", "secretAccessKey", "payload"}.
import { LambdaClient, InvokeCommand } from "@aws-sdk/client-lambda";

let input = "";
for await (const chunk of process.stdin) {
  input += chunk;
}
const request = JSON.parse(input);

const client = new LambdaClient({
  endpoint: request.endpoint,
  region: request.region,
  credentials: { accessKeyId: request.accessKeyId, secretAccessKey: request.secretAccessKey },
  maxAttempts: 1,
});

try {
  const response = await client.send(
    new InvokeCommand({
      FunctionName: request.functionName,
      InvocationType: "RequestResponse",
      Payload: new TextEncoder().encode(request.payload),
    }),
  );
  process.stdout.write(
    JSON.stringify({
      statusCode: response.StatusCode,
      functionError: response.FunctionError ?? null,
      payload: new TextDecoder().decode(response.Payload),
    }) + "\n",
  );
} catch (error) {
  process.stdout.write(
    JSON.stringify({
      statusCode: error.$metadata?.httpStatusCode ?? null,
      errorName: error.name,
      message: error.message,
    }) + "\n",
  );
}
