// Preloaded into the conformance suite (node --require) because the suite has no option to send a header:
// adds the agent's bearer token to the suite's requests whose origin is Mandate's, and to nothing else.
'use strict';
const token = process.env.MANDATE_CONFORMANCE_TOKEN;
const origin = process.env.MANDATE_CONFORMANCE_ORIGIN;
const original = globalThis.fetch;
globalThis.fetch = function (input, init) {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (token && origin && url.startsWith(origin)) {
    const headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
    headers.set('authorization', 'Bearer ' + token);
    init = Object.assign({}, init, { headers });
  }
  return original(input, init);
};
