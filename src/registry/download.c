/*
 * download.c - see download.h.  A thin, bounded wrapper over libcurl's easy
 * interface: one transfer, written straight to the caller's descriptor.
 *
 * libcurl is loaded with dlopen() when a download starts, not linked.  Its
 * dependencies (TLS, Kerberos, LDAP, ~30 libraries, some with constructors
 * that initialise at load time) cost every process about 8 ms before main()
 * even runs; `portolan 3106` must start in a few milliseconds, and only
 * `update --from URL` ever downloads.  The function table below is the whole
 * of libcurl we use; the types still come from <curl/curl.h>, so the
 * compiler checks every call.
 *
 * Downloads run in portolan-serve, which is dynamically linked: in the
 * static portolan, the thread libcurl starts to resolve a host name
 * crashes (src/cli/serve_main.c says why).  The library is also opened
 * RTLD_NODELETE, as unloading it from a static program runs GnuTLS's
 * destructor, which crashes too; a download happens once per process, so
 * nothing is lost by keeping the library mapped until exit.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "download.h"

struct curl_api {
	void *handle;
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *curl);
	const char *(*easy_strerror)(CURLcode code);
};

static int
download_load_curl(struct curl_api *api, struct err *e)
{
	static const char *const names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"};
	size_t i;

	memset(api, 0, sizeof(*api));
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && api->handle == NULL; i++)
		api->handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (api->handle == NULL)
		return err_internal(e, "cannot load libcurl to download (install libcurl4): %s",
		                    dlerror());
	/* POSIX guarantees dlsym's result converts to a function pointer. */
	*(void **)&api->global_init = dlsym(api->handle, "curl_global_init");
	*(void **)&api->easy_init = dlsym(api->handle, "curl_easy_init");
	*(void **)&api->easy_setopt = dlsym(api->handle, "curl_easy_setopt");
	*(void **)&api->easy_perform = dlsym(api->handle, "curl_easy_perform");
	*(void **)&api->easy_getinfo = dlsym(api->handle, "curl_easy_getinfo");
	*(void **)&api->easy_cleanup = dlsym(api->handle, "curl_easy_cleanup");
	*(void **)&api->easy_strerror = dlsym(api->handle, "curl_easy_strerror");
	if (!api->global_init || !api->easy_init || !api->easy_setopt || !api->easy_perform ||
	    !api->easy_getinfo || !api->easy_cleanup || !api->easy_strerror) {
		dlclose(api->handle);
		return err_internal(e, "libcurl lacks a function portolan needs");
	}
	return 0;
}

struct download_state {
	int fd;
	long long written;
	int too_large;
	int write_failed;
};

int
download_is_url(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

static size_t
download_write(char *data, size_t size, size_t nmemb, void *userp)
{
	struct download_state *ds = userp;
	size_t n = size * nmemb, off = 0;
	ssize_t w;

	if (ds->written + (long long)n > DOWNLOAD_MAX_BYTES) {
		ds->too_large = 1;
		return 0; /* makes curl fail with CURLE_WRITE_ERROR */
	}
	while (off < n) {
		if ((w = write(ds->fd, data + off, n - off)) < 0) {
			ds->write_failed = 1;
			return 0;
		}
		off += (size_t)w;
	}
	ds->written += (long long)n;
	return n;
}

static int
download_progress(void *userp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                  curl_off_t ulnow)
{
	(void)userp;
	(void)ultotal;
	(void)ulnow;
	if (dltotal > 0)
		fprintf(stderr, "\rdownloading: %lld of %lld KiB (%d%%)", (long long)dlnow / 1024,
		        (long long)dltotal / 1024, (int)(dlnow * 100 / dltotal));
	else
		fprintf(stderr, "\rdownloading: %lld KiB", (long long)dlnow / 1024);
	return 0;
}

int
download_to_fd(const char *url, int fd, int show_progress, const char *ca_file, struct err *e)
{
	struct download_state ds = {.fd = fd};
	char curl_msg[CURL_ERROR_SIZE] = "";
	struct curl_api api;
	CURL *curl;
	CURLcode rc;
	long status = 0;
	int ret;

	if (!download_is_url(url))
		return err_set(e, "%s: only http:// and https:// URLs can be downloaded", url);
	if (download_load_curl(&api, e) == -1)
		return -1;
	if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || (curl = api.easy_init()) == NULL) {
		dlclose(api.handle);
		return err_internal(e, "%s: cannot initialise libcurl", url);
	}
	api.easy_setopt(curl, CURLOPT_URL, url);
	api.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	api.easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	api.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	api.easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
	api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
	api.easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L); /* abort a stalled transfer */
	api.easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 30L);
	api.easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)DOWNLOAD_MAX_BYTES);
	api.easy_setopt(curl, CURLOPT_USERAGENT, "portolan (registry update)");
	api.easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, ""); /* any encoding curl can decode */
	if (ca_file != NULL)
		api.easy_setopt(curl, CURLOPT_CAINFO, ca_file);
	api.easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_msg);
	api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, download_write);
	api.easy_setopt(curl, CURLOPT_WRITEDATA, &ds);
	if (show_progress) {
		api.easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
		api.easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, download_progress);
	}
	rc = api.easy_perform(curl);
	api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	api.easy_cleanup(curl);
	if (show_progress)
		fputc('\n', stderr);
	if (ds.too_large)
		ret =
		    err_set(e, "%s: larger than %ld MiB, refusing", url, DOWNLOAD_MAX_BYTES >> 20);
	else if (ds.write_failed)
		ret = err_internal(e, "%s: cannot write the download to disk", url);
	else if (rc != CURLE_OK)
		ret = err_set(e, "%s: download failed: %s", url,
		              curl_msg[0] ? curl_msg : api.easy_strerror(rc));
	else if (status != 200)
		ret = err_set(e, "%s: server answered HTTP %ld", url, status);
	else
		ret = 0;
	dlclose(api.handle);
	return ret;
}
