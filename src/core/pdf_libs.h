/* Cairo, Pango and fontconfig, loaded only when a page is printed: the desk and every command
 * start without the thirty-odd libraries they bring (about two thirds of a start's processor
 * time was the dynamic linker mapping and relocating them). Include after every other header. */
#ifndef XINFANG_PDF_LIBS_H
#define XINFANG_PDF_LIBS_H

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include "xinfang/util.h"

/* Every function of the libraries this code calls, found when first needed. */
#define XF_PDF_LIBS_SYMBOLS(X) \
	X(FcFini) \
	X(cairo_clip) \
	X(cairo_create) \
	X(cairo_debug_reset_static_data) \
	X(cairo_destroy) \
	X(cairo_fill) \
	X(cairo_font_options_create) \
	X(cairo_font_options_destroy) \
	X(cairo_font_options_set_hint_metrics) \
	X(cairo_font_options_set_hint_style) \
	X(cairo_line_to) \
	X(cairo_move_to) \
	X(cairo_pdf_surface_create_for_stream) \
	X(cairo_pdf_surface_set_metadata) \
	X(cairo_rectangle) \
	X(cairo_restore) \
	X(cairo_save) \
	X(cairo_set_line_cap) \
	X(cairo_set_line_width) \
	X(cairo_set_source_rgb) \
	X(cairo_show_page) \
	X(cairo_status_to_string) \
	X(cairo_stroke) \
	X(cairo_surface_destroy) \
	X(cairo_surface_finish) \
	X(cairo_surface_status) \
	X(g_object_unref) \
	X(pango_cairo_context_set_font_options) \
	X(pango_cairo_context_set_resolution) \
	X(pango_cairo_create_context) \
	X(pango_cairo_font_map_set_default) \
	X(pango_cairo_show_layout) \
	X(pango_cairo_show_layout_line) \
	X(pango_font_description_copy) \
	X(pango_font_description_free) \
	X(pango_font_description_from_string) \
	X(pango_font_description_set_size) \
	X(pango_font_description_set_weight) \
	X(pango_layout_get_iter) \
	X(pango_layout_get_size) \
	X(pango_layout_iter_free) \
	X(pango_layout_iter_get_baseline) \
	X(pango_layout_iter_get_line_readonly) \
	X(pango_layout_iter_get_line_yrange) \
	X(pango_layout_iter_next_line) \
	X(pango_layout_new) \
	X(pango_layout_set_alignment) \
	X(pango_layout_set_font_description) \
	X(pango_layout_set_text) \
	X(pango_layout_set_width) \
	X(pango_layout_set_wrap) \

struct xf_pdf_libs {
#define X(name) __typeof__(name) *name;
	XF_PDF_LIBS_SYMBOLS(X)
#undef X
};
extern struct xf_pdf_libs xf_pdf_libs;

/* Loads the libraries and finds their functions, once; a clear message when they are missing. */
int pdf_libs_load(struct xf_err *err);

/* From here on, every call goes through the table (not in the file that fills it). */
#ifndef XF_LIBS_LOADER
#define FcFini (xf_pdf_libs.FcFini)
#define cairo_clip (xf_pdf_libs.cairo_clip)
#define cairo_create (xf_pdf_libs.cairo_create)
#define cairo_debug_reset_static_data (xf_pdf_libs.cairo_debug_reset_static_data)
#define cairo_destroy (xf_pdf_libs.cairo_destroy)
#define cairo_fill (xf_pdf_libs.cairo_fill)
#define cairo_font_options_create (xf_pdf_libs.cairo_font_options_create)
#define cairo_font_options_destroy (xf_pdf_libs.cairo_font_options_destroy)
#define cairo_font_options_set_hint_metrics (xf_pdf_libs.cairo_font_options_set_hint_metrics)
#define cairo_font_options_set_hint_style (xf_pdf_libs.cairo_font_options_set_hint_style)
#define cairo_line_to (xf_pdf_libs.cairo_line_to)
#define cairo_move_to (xf_pdf_libs.cairo_move_to)
#define cairo_pdf_surface_create_for_stream (xf_pdf_libs.cairo_pdf_surface_create_for_stream)
#define cairo_pdf_surface_set_metadata (xf_pdf_libs.cairo_pdf_surface_set_metadata)
#define cairo_rectangle (xf_pdf_libs.cairo_rectangle)
#define cairo_restore (xf_pdf_libs.cairo_restore)
#define cairo_save (xf_pdf_libs.cairo_save)
#define cairo_set_line_cap (xf_pdf_libs.cairo_set_line_cap)
#define cairo_set_line_width (xf_pdf_libs.cairo_set_line_width)
#define cairo_set_source_rgb (xf_pdf_libs.cairo_set_source_rgb)
#define cairo_show_page (xf_pdf_libs.cairo_show_page)
#define cairo_status_to_string (xf_pdf_libs.cairo_status_to_string)
#define cairo_stroke (xf_pdf_libs.cairo_stroke)
#define cairo_surface_destroy (xf_pdf_libs.cairo_surface_destroy)
#define cairo_surface_finish (xf_pdf_libs.cairo_surface_finish)
#define cairo_surface_status (xf_pdf_libs.cairo_surface_status)
#define g_object_unref (xf_pdf_libs.g_object_unref)
#define pango_cairo_context_set_font_options (xf_pdf_libs.pango_cairo_context_set_font_options)
#define pango_cairo_context_set_resolution (xf_pdf_libs.pango_cairo_context_set_resolution)
#define pango_cairo_create_context (xf_pdf_libs.pango_cairo_create_context)
#define pango_cairo_font_map_set_default (xf_pdf_libs.pango_cairo_font_map_set_default)
#define pango_cairo_show_layout (xf_pdf_libs.pango_cairo_show_layout)
#define pango_cairo_show_layout_line (xf_pdf_libs.pango_cairo_show_layout_line)
#define pango_font_description_copy (xf_pdf_libs.pango_font_description_copy)
#define pango_font_description_free (xf_pdf_libs.pango_font_description_free)
#define pango_font_description_from_string (xf_pdf_libs.pango_font_description_from_string)
#define pango_font_description_set_size (xf_pdf_libs.pango_font_description_set_size)
#define pango_font_description_set_weight (xf_pdf_libs.pango_font_description_set_weight)
#define pango_layout_get_iter (xf_pdf_libs.pango_layout_get_iter)
#define pango_layout_get_size (xf_pdf_libs.pango_layout_get_size)
#define pango_layout_iter_free (xf_pdf_libs.pango_layout_iter_free)
#define pango_layout_iter_get_baseline (xf_pdf_libs.pango_layout_iter_get_baseline)
#define pango_layout_iter_get_line_readonly (xf_pdf_libs.pango_layout_iter_get_line_readonly)
#define pango_layout_iter_get_line_yrange (xf_pdf_libs.pango_layout_iter_get_line_yrange)
#define pango_layout_iter_next_line (xf_pdf_libs.pango_layout_iter_next_line)
#define pango_layout_new (xf_pdf_libs.pango_layout_new)
#define pango_layout_set_alignment (xf_pdf_libs.pango_layout_set_alignment)
#define pango_layout_set_font_description (xf_pdf_libs.pango_layout_set_font_description)
#define pango_layout_set_text (xf_pdf_libs.pango_layout_set_text)
#define pango_layout_set_width (xf_pdf_libs.pango_layout_set_width)
#define pango_layout_set_wrap (xf_pdf_libs.pango_layout_set_wrap)
#endif

#endif
