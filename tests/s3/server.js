// A local S3-compatible server for tests/s3/check.sh: s3rver (npm) on
// 127.0.0.1, an ephemeral port, with the files of SEED_DIR uploaded into
// bucket "logs" (key = path below SEED_DIR); then every request is logged
// and checked here before s3rver answers it.
//
// Usage: node server.js S3RVER_MODULE STORE_DIR SEED_DIR LOG_FILE PORT_FILE
//   LOG_FILE   one line per request once seeding is done: "METHOD URL
//              REGION PORT" (the region the request was signed for, or -;
//              the client's port, which tells its connections apart)
//   PORT_FILE  written with the port when the server is ready
// and LOG_FILE.bytes, one line per answer sent in full: "URL RANGE STATUS
// BYTES", the Range header asked for (or -) and the body bytes sent, so
// a test can tell how much of an object was fetched.
//
// s3rver 3.x checks the access key id but not a SigV4 signature, so this
// file checks it, written from AWS's description of Signature Version 4
// (canonical request, string to sign, signing key) independently of
// libcurl: a request signed with the wrong secret, or signed over a URI
// or query that S3 would canonicalise differently, gets S3's answer, 403
// SignatureDoesNotMatch, with the StringToSign and SignatureProvided
// elements S3 itself puts in that body (the test checks that vpcflow's
// messages never repeat them). The one account is S3RVER / S3RVER.
//
// Bucket "eulogs" is "in eu-west-1": a request signed for another region
// is answered 301 PermanentRedirect with x-amz-bucket-region, as S3 does.
// The seed folder "@eulogs" is uploaded into it.
//
// Faults, by key: a GET of an object whose key holds "slowdown" is
// answered 503 SlowDown the first 2 times; "unavailable", always 503.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const [modPath, storeDir, seedDir, logFile, portFile] = process.argv.slice(2);
const S3rver = require(modPath);
const SECRETS = { S3RVER: 'S3RVER' };

function walk(dir, out) {
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (fs.statSync(p).isDirectory()) walk(p, out); else out.push(p);
  }
  return out;
}

// PUT key into bucket "logs", or "@NAME/rest" into bucket NAME
function put(port, key, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'PUT',
      path: (key.startsWith('@') ? '/' + key.slice(1) : '/logs/' + key)
        .split('/').map(encodeURIComponent).join('/'),
      headers: { 'content-length': body.length } }, res => {
        res.resume();
        res.on('end', () => res.statusCode === 200 ? resolve()
          : reject(new Error('PUT ' + key + ': HTTP ' + res.statusCode)));
      });
    req.on('error', reject);
    req.end(body);
  });
}

// RFC 3986 encoding as SigV4 wants it: all but A-Z a-z 0-9 - _ . ~
const enc = s => encodeURIComponent(s).replace(/[!'()*]/g,
  c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const sha256 = s => crypto.createHash('sha256').update(s).digest('hex');
const hmac = (k, s) => crypto.createHmac('sha256', k).update(s).digest();

// null if req carries a valid SigV4 signature, else [stringToSign, provided]
function checkSig(req) {
  const auth = req.headers['authorization'] || '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(auth);
  if (!m) return ['(no SigV4 Authorization header)', auth];
  const [, keyId, date, region, service, signed, provided] = m;
  const secret = SECRETS[keyId];
  if (secret === undefined) return 'InvalidAccessKeyId';
  const [rawPath, rawQuery = ''] = req.url.split('?');
  // S3: each path segment decoded, then encoded once
  const uri = rawPath.split('/').map(s => enc(decodeURIComponent(s))).join('/');
  const query = rawQuery === '' ? '' : rawQuery.split('&').map(p => {
    const i = p.indexOf('=');
    const k = decodeURIComponent(i < 0 ? p : p.slice(0, i));
    const v = i < 0 ? '' : decodeURIComponent(p.slice(i + 1).replace(/\+/g, '%20'));
    return [enc(k), enc(v)];
  }).sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : (a[1] < b[1] ? -1 : 1))
    .map(([k, v]) => k + '=' + v).join('&');
  const headers = signed.split(';').map(h =>
    h + ':' + String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ') + '\n').join('');
  const payload = req.headers['x-amz-content-sha256'] || sha256('');
  const creq = [req.method, uri, query, headers, signed, payload].join('\n');
  const amzDate = req.headers['x-amz-date'] || '';
  const scope = `${date}/${region}/${service}/aws4_request`;
  const sts = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(creq)].join('\n');
  let k = hmac('AWS4' + secret, date);
  k = hmac(k, region); k = hmac(k, service); k = hmac(k, 'aws4_request');
  const want = crypto.createHmac('sha256', k).update(sts).digest('hex');
  if (!signed.split(';').includes('host') || !amzDate.startsWith(date)) return [sts, provided];
  return want === provided ? null : [sts, provided];
}

const xmlEsc = s => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function s3Error(res, status, code, message, extra = '') {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>` +
    `<Message>${xmlEsc(message)}</Message>${extra}<RequestId>0</RequestId></Error>`);
}

(async () => {
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true,
    directory: storeDir, configureBuckets: [{ name: 'logs' }, { name: 'eulogs' }] });
  const addr = await server.run();
  const files = walk(seedDir, []);
  for (let i = 0; i < files.length; i += 16) {
    await Promise.all(files.slice(i, i + 16).map(f =>
      put(addr.port, path.relative(seedDir, f).split(path.sep).join('/'),
          fs.readFileSync(f))));
  }
  const hs = server.httpServer;
  const s3 = hs.listeners('request');
  hs.removeAllListeners('request');
  const asked = {};
  hs.on('request', (req, res) => {
    const rg = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers['authorization'] || '');
    fs.appendFileSync(logFile, req.method + ' ' + req.url + ' ' + (rg ? rg[1] : '-') +
      ' ' + req.socket.remotePort + '\n');
    let sent = 0;
    const write = res.write, end = res.end;
    res.write = function (chunk, ...rest) {
      if (chunk && typeof chunk !== 'function') sent += Buffer.byteLength(chunk);
      return write.call(this, chunk, ...rest);
    };
    res.end = function (chunk, ...rest) {
      if (chunk && typeof chunk !== 'function') sent += Buffer.byteLength(chunk);
      return end.call(this, chunk, ...rest);
    };
    res.on('finish', () => fs.appendFileSync(logFile + '.bytes', req.url + ' ' +
      (req.headers['range'] || '-').replace(/ /g, '') + ' ' + res.statusCode + ' ' + sent + '\n'));
    const bad = checkSig(req);
    if (bad === 'InvalidAccessKeyId') {
      return s3Error(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id ' +
        'you provided does not exist in our records.');
    }
    if (bad) {
      return s3Error(res, 403, 'SignatureDoesNotMatch', 'The request signature ' +
        'we calculated does not match the signature you provided. Check your ' +
        'key and signing method.', `<StringToSign>${xmlEsc(bad[0])}</StringToSign>` +
        `<SignatureProvided>${xmlEsc(bad[1])}</SignatureProvided>`);
    }
    const rg2 = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers['authorization']);
    if (req.url.startsWith('/eulogs') && rg2[1] !== 'eu-west-1') {
      // as S3 answers a request for a bucket of another region
      res.setHeader('x-amz-bucket-region', 'eu-west-1');
      return s3Error(res, 301, 'PermanentRedirect', 'The bucket you are ' +
        'attempting to access must be addressed using the specified endpoint.');
    }
    const n = asked[req.url] = (asked[req.url] || 0) + 1;
    const obj = !req.url.includes('list-type=');
    if (obj && ((req.url.includes('slowdown') && n <= 2) || req.url.includes('unavailable'))) {
      return s3Error(res, 503, 'SlowDown', 'Please reduce your request rate.');
    }
    for (const f of s3) f.call(hs, req, res);
  });
  fs.writeFileSync(portFile + '.tmp', String(addr.port));
  fs.renameSync(portFile + '.tmp', portFile);
})().catch(e => { console.error('server.js: ' + e.message); process.exit(1); });
