/*
 * download.c - see download.h.  A thin, bounded wrapper over libcurl's easy
 * interface: one transfer, written straight to the caller's descriptor.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "download.h"

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
download_to_fd(const char *url, int fd, int show_progress, struct err *e)
{
	struct download_state ds = {.fd = fd};
	char curl_msg[CURL_ERROR_SIZE] = "";
	CURL *curl;
	CURLcode rc;
	long status = 0;

	if (!download_is_url(url))
		return err_set(e, "%s: only http:// and https:// URLs can be downloaded", url);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || (curl = curl_easy_init()) == NULL)
		return err_internal(e, "%s: cannot initialise libcurl", url);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L); /* abort a stalled transfer */
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 30L);
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)DOWNLOAD_MAX_BYTES);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "portolan (registry update)");
	curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, ""); /* any encoding curl can decode */
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_msg);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, download_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &ds);
	if (show_progress) {
		curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, download_progress);
	}
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(curl);
	if (show_progress)
		fputc('\n', stderr);
	if (ds.too_large)
		return err_set(e, "%s: larger than %ld MiB, refusing", url, DOWNLOAD_MAX_BYTES >> 20);
	if (ds.write_failed)
		return err_internal(e, "%s: cannot write the download to disk", url);
	if (rc != CURLE_OK)
		return err_set(e, "%s: download failed: %s", url,
			       curl_msg[0] ? curl_msg : curl_easy_strerror(rc));
	if (status != 200)
		return err_set(e, "%s: server answered HTTP %ld", url, status);
	return 0;
}
