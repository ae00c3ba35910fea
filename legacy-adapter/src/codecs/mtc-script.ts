/**
 * The body of `/mtc.js` (docs/mautic/public-http.md §3.1). Our own script, not
 * Mautic's: it speaks the same client protocol — the `mt('send', 'pageview',
 * {…})` queue of the embed snippet, the pageview parameters, POST /mtc/event
 * as a credentialed XHR, the /mtracking.gif + GET /mtc fallback, first-party
 * `mtc_id`/`mautic_device_id` cookies and localStorage — but leaves out
 * gated video, GA/Facebook pixel events, Focus, DWC and web notifications,
 * and is not minified.
 */

/**
 * Builds the script for a `site_url`. The tracker endpoints are absolute and
 * switch to `https:` when the host page is https, as Mautic's do.
 *
 * @param year the year in the license comment (Mautic prints the current one).
 */
export function buildTrackingScript(siteUrl: string, year: number): string {
  const base = JSON.stringify(siteUrl.replace(/^https?:/, ''));
  return `/** This file is part of Mautic's public tracking protocol, served by Strangler. (c) ${year} */
(function (w, d) {
  var base = (d.location.protocol === 'https:' ? 'https:' : ${JSON.stringify(siteUrl.startsWith('https:') ? 'https:' : 'http:')}) + ${base};
  var M = w.MauticJS = w.MauticJS || {};
  M.serialize = function (o) {
    var s = [];
    for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined && o[k] !== null) {
      s.push(encodeURIComponent(k) + '=' + encodeURIComponent(o[k]));
    }
    return s.join('&');
  };
  M.setCookie = function (name, value) { d.cookie = name + '=' + value + '; path=/; secure'; };
  M.getTrackedContact = function () {
    try { return { id: w.localStorage.getItem('mtc_id'), device_id: w.localStorage.getItem('mautic_device_id') }; } catch (e) { return {}; }
  };
  M.setTrackedContact = function (r) {
    if (!r || !r.id) return;
    M.setCookie('mtc_id', r.id);
    M.setCookie('mautic_device_id', r.device_id);
    try { w.localStorage.setItem('mtc_id', r.id); w.localStorage.setItem('mautic_device_id', r.device_id); } catch (e) { /* storage blocked */ }
  };
  function platform() {
    var p = navigator.platform || '';
    return /Win/.test(p) ? 'Windows' : /Mac/.test(p) ? 'MacOS' : /Linux/.test(p) ? 'Linux' : /X11/.test(p) ? 'UNIX' : 'Unknown OS';
  }
  var counter = 0;
  function pageviewParams(extra) {
    var lang = navigator.language || '';
    var p = {
      page_title: d.title, page_language: lang, preferred_locale: lang.replace('-', '_'),
      page_referrer: d.referrer ? d.referrer.split('/')[2] : '', page_url: w.location.href, counter: counter++,
      timezone_offset: new Date().getTimezoneOffset(), resolution: w.screen.width + 'x' + w.screen.height,
      platform: platform(), do_not_track: navigator.doNotTrack == 1
    };
    try { p.timezone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { /* no Intl */ }
    var tracked = M.getTrackedContact();
    if (tracked.id && tracked.device_id) p.mautic_device_id = tracked.device_id;
    for (var k in extra || {}) p[k] = extra[k];
    return p;
  }
  function pixelFallback(params) {
    var img = new Image();
    img.onload = function () {
      var x = new XMLHttpRequest();
      x.open('GET', base + '/mtc', true);
      x.withCredentials = true;
      x.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
      x.onload = function () { try { M.setTrackedContact(JSON.parse(x.responseText)); } catch (e) { /* not JSON */ } };
      x.send();
    };
    img.src = base + '/mtracking.gif?' + M.serialize(params);
  }
  M.sendPageview = function (extra) {
    var params = pageviewParams(extra);
    var x = new XMLHttpRequest();
    x.open('POST', base + '/mtc/event', true);
    x.withCredentials = true;
    x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
    x.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    x.onload = function () {
      if (x.status !== 200) { pixelFallback(params); return; }
      try { var r = JSON.parse(x.responseText); if (r.success) M.setTrackedContact(r); } catch (e) { pixelFallback(params); }
    };
    x.onerror = function () { pixelFallback(params); };
    x.send(M.serialize(params));
  };
  var name = w.MauticTrackingObject || 'mt';
  function mt() {
    var args = Array.prototype.slice.call(arguments);
    if (args[0] === 'send' && args[1] === 'pageview') M.sendPageview(args[2]);
  }
  var queued = (w[name] && w[name].q) || [];
  w[name] = mt;
  for (var i = 0; i < queued.length; i++) mt.apply(null, Array.prototype.slice.call(queued[i]));
})(window, document);
`;
}
