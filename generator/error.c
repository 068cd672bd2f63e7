/* error.c - the last error message (see error.h). */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

static _Thread_local char message[512];

int error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	return code;
}

int error_nomem(void)
{
	return error_set(ERR_NOMEM, "out of memory");
}

const char *error_message(void)
{
	return message[0] ? message : "out of memory";
}

void error_clear(void)
{
	message[0] = '\0';
}
